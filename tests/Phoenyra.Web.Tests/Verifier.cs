using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>One run of a seed stream verifier (tests/verifiers) as a child process.</summary>
internal sealed class Verifier : IDisposable
{
    private static string Folder => RepoPaths.File("tests/verifiers");

    /// <summary>Debian's Python, which has python3-websockets (a pyenv python3 on PATH may not).</summary>
    private const string Python3 = "/usr/bin/python3";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Verifier(string name, string file, params string[] args)
    {
        Name = name;
        var start = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready") _ready.TrySetResult();
            else if (e.Data is not null) lock (_output) _output.AppendLine(e.Data);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public static Verifier Python(string url, string secret, int count) =>
        new($"python {Path.GetFileName(new Uri(url).AbsolutePath)}", Python3, "verify_stream.py", url, secret, count.ToString());

    public static Verifier Node(string url, string secret, int count) =>
        new($"node {Path.GetFileName(new Uri(url).AbsolutePath)}", "node", "verify_stream.mjs", url, secret, count.ToString());

    public static Verifier NodeEs256(string url, string jwksUrl, int count) =>
        new($"node es256 {Path.GetFileName(new Uri(url).AbsolutePath)}", "node", "verify_stream.mjs", url, "--es256", jwksUrl, count.ToString());

    /// <summary>Feeds captured frames to the Python verifier's offline mode; one verdict per frame.</summary>
    public static async Task<string[]> PythonOffline(string secret, IEnumerable<string> frames)
    {
        var start = new ProcessStartInfo(Python3) { WorkingDirectory = Folder, RedirectStandardInput = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("verify_stream.py");
        start.ArgumentList.Add("--stdin");
        start.ArgumentList.Add(secret);
        using var process = Process.Start(start)!;
        foreach (var frame in frames) await process.StandardInput.WriteLineAsync(frame);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Waits until the verifier has its socket open.</summary>
    public async Task Ready()
    {
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(_ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(30))) != _ready.Task)
            throw new InvalidOperationException($"{Name} did not connect: {Output}");
    }

    public async Task<(int ExitCode, string Output, JsonElement Json)> Finish(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            throw new TimeoutException($"{Name} did not finish in {timeout}: {Output}");
        }
        _process.WaitForExit(); // drains the output readers
        var summary = Output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "{}";
        return (_process.ExitCode, Output, JsonDocument.Parse(summary).RootElement.Clone());
    }

    private string Output { get { lock (_output) return _output.ToString(); } }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
