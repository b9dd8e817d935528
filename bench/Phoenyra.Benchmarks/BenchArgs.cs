namespace Phoenyra.Benchmarks;

/// <summary><c>--name value</c> options of the custom bench commands.</summary>
internal sealed class BenchArgs(string[] args)
{
    public string Get(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

    /// <summary>The running desk (<c>--url</c>), a local one by default.</summary>
    public Uri Url => new(Get("--url", "http://127.0.0.1:5080"));

    /// <summary>A trader key (<c>--key</c>, else <c>API_KEY</c>).</summary>
    public string Key => Get("--key", Environment.GetEnvironmentVariable("API_KEY") ?? "");
}
