using System.Diagnostics;
using System.Text;

namespace Phoenyra.Tests.Shared;

/// <summary>Debian's real HAProxy (<c>./test.sh</c> installs it) on a free loopback port, with the shipped <c>deploy/haproxy/haproxy.cfg</c>, in front of two desks.</summary>
public sealed class HaproxyProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public HaproxyProcess(DeskProcess a, DeskProcess b)
    {
        Port = DeskProcess.FreePort();
        var start = new ProcessStartInfo(Binary, ["-f", RepoPaths.File("deploy/haproxy/haproxy.cfg"), "-db"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PHOENYRA_LISTEN"] = $"127.0.0.1:{Port}";
        start.Environment["PHOENYRA_NODE_A"] = new Uri(a.BaseUrl).Authority;
        start.Environment["PHOENYRA_NODE_B"] = new Uri(b.BaseUrl).Authority;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary><c>HAPROXY</c>, else Debian's <c>/usr/sbin/haproxy</c> (not on every user's PATH), else <c>haproxy</c> on the PATH.</summary>
    private static string Binary => Environment.GetEnvironmentVariable("HAPROXY") is { Length: > 0 } set ? set
        : File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
