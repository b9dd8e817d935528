namespace Phoenyra.Web.Components.Shared;

/// <summary>How long toasts stay, in milliseconds: errors longest, so they can be read.</summary>
internal static class ToastDuration
{
    public const int Info = 3000;
    public const int Success = 4000;
    public const int Error = 6000;
}
