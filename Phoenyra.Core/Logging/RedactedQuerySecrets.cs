using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Phoenyra.Core.Logging;

/// <summary>
/// Writes <c>api_key=…</c> and <c>ticket=…</c> in logged values as <c>api_key=***</c>: a WebSocket
/// client may put its key in the URL (the seeds' clients do), and a request line logged at Information
/// (<c>Microsoft.AspNetCore.Hosting</c>) must not carry it into the log files.
/// </summary>
internal sealed partial class RedactedQuerySecrets : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties)
            if (value is ScalarValue { Value: string text } && (text.Contains("api_key=", StringComparison.OrdinalIgnoreCase) || text.Contains("ticket=", StringComparison.OrdinalIgnoreCase)))
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Redact(text))));
    }

    public static string Redact(string text) => Secret().Replace(text, "$1***");

    [GeneratedRegex("((?:api_key|ticket)=)[^&\\s\"']+", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();
}
