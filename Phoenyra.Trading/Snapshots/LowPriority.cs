using System.Runtime.InteropServices;

namespace Phoenyra.Trading.Snapshots;

/// <summary>
/// Lowers the calling thread's scheduling priority (Linux nice 10), so background work that comes
/// in bursts — a snapshot — yields the CPU to the order path when both want it. Elsewhere a no-op.
/// </summary>
internal static class LowPriority
{
    private const int PrioProcess = 0;

    public static void ForThisThread()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = setpriority(PrioProcess, gettid(), 10); }
        catch (EntryPointNotFoundException) { }
        catch (DllNotFoundException) { }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for two int calls
    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
#pragma warning restore SYSLIB1054
}
