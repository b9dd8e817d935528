using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace Phoenyra.Core.Logging;

/// <summary>
/// Writes control characters in logged values as escapes (<c>\r</c>, <c>\n</c>, <c>\u0000</c>), so a
/// value from a request (a path, a reason, a key id) can never start a forged log line.
/// </summary>
internal sealed class OneLineValues : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties)
            if (value is ScalarValue { Value: string text } && text.Any(char.IsControl))
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Escape(text))));
    }

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            builder.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return builder.ToString();
    }
}
