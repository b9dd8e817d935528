using System.Diagnostics;
using System.Text;

namespace Phoenyra.Web.Tests.Seeds;

/// <summary>A program the seeds tell a user to run (curl, bash, python3, node), with its output and exit code.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public ChildProcess(string file, IEnumerable<string> args, string? workingDirectory = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (stdin is not null)
        {
            _process.StandardInput.Write(stdin);
            _process.StandardInput.Close();
        }
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public int ExitCode => _process.ExitCode;

    /// <summary>Runs to the end (killed and reported after <paramref name="timeout"/>).</summary>
    public static async Task<ChildProcess> Run(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null, string? stdin = null)
    {
        var child = new ChildProcess(file, args, workingDirectory, stdin);
        await child.Exit(timeout);
        return child;
    }

    public async Task Exit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_process.StartInfo.FileName} did not finish in {timeout}:\n{Stdout}\n{Stderr}");
        }
        _process.WaitForExit(); // drains the output readers
    }

    /// <summary>Waits until standard output holds <paramref name="count"/> lines containing <paramref name="text"/>.</summary>
    public async Task<bool> Printed(string text, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (Stdout.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)) >= count) return true;
            await Task.Delay(100);
        }
        return Stdout.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)) >= count;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
