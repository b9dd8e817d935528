namespace Phoenyra.Web;

/// <summary>The dark (default) and light themes: the cookie that remembers the choice and the Radzen base sheet for each.</summary>
internal static class ThemeCss
{
    public const string CookieName = "phoenyra-theme";

    public static string FromCookie(string? value) => value == "light" ? "light" : "dark";

    public static string RadzenHref(string theme) =>
        theme == "light" ? "_content/Radzen.Blazor/css/material.css" : "_content/Radzen.Blazor/css/material-dark.css";
}
