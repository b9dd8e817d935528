using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Web.Tests;

/// <summary>
/// Every endpoint the OpenAPI document lists, fed thousands of hostile values field by field
/// (overflowing numbers, wrong types, control characters, huge strings), as the admin key so
/// authorisation never hides a crash: no answer is a 5xx, none of them changes the desk.
/// </summary>
public sealed class FuzzTests
{
    // A valid body per request schema; the fuzzer breaks one field at a time. A new schema without
    // an entry here fails the test, so new endpoints cannot skip the fuzz.
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["AlertmanagerPayload"] = """{"version":"4","alerts":[]}""",
        ["AutoTraderSwitch"] = """{"enabled":false}""",
        ["CreateKeyRequest"] = """{"id":"fuzz","role":"viewer"}""",
        ["FlattenRequest"] = """{"side":"both"}""",
        ["OrderRequest"] = """{"market":"DE-ID-15","side":"buy","quantity":1,"price":50,"type":"limit","tif":"ioc","client_order_id":"f","post_only":false,"reduce_only":false}""",
        ["ReasonRequest"] = """{"reason":"fuzz"}""",
        ["StartRequest"] = """{"overrides":{}}""",
        ["TelemetryRequest"] = """{"soc_percent":50,"active_power_mw":0,"temperature_c":25,"site":"site-1","ts":null}""",
        ["ThrottleRequest"] = """{"throttle":0.5}""",
    };

    private static readonly string[] BadNumbers = ["1e19", "-1e19", "1e300", "1e400", "-1e400", "79228162514264337593543950336", "\"one\"", "true", "[]", "{}"];
    private static readonly string[] BadStrings = [Json(new string('x', 5000)), Json("a\r\nforged line"), Json("nul\u0000byte"), "42", "true", "[]", "{}"];
    private static readonly string[] BadBooleans = ["\"yes\"", "2", "[]", "{}", "1e400"];
    private static readonly string[] BadArrays = ["\"x\"", "1e19", "true", "{}", "[1,2,3]", "[{\"labels\":{}}]", "[{\"labels\":{\"alertname\":42}}]"];
    private static readonly string[] BadObjects = ["[]", "\"x\"", "1e19", "true", """{"MAX_NOTIONAL_PER_TRADE":1e19}""", """{"LOAN_LIMIT_GBP":"1e400"}"""];
    private static readonly string[] BadQueryValues = ["1e19", "99999999999999999999", "-99999999999999999999", "-1", "x", "", "NaN", new string('9', 400), "2026-13-45T99:99:99Z", "\r\n"];
    private static readonly string[] RawBodies = ["[1,2", "\"x\"", "[]", "{\"a\":" + new string('[', 2000), "{\"pad\":\"" + new string('x', 70 * 1024) + "\"}"];

    [Fact]
    public async Task HostileInputOnEveryEndpoint_NeverAnswers5xx_AndChangesNothing()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "1000000",
            ["Phoenyra:Auth:RateLimit:Burst"] = "1000000",
        });
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json"))!;
        var before = await State(desk, admin);
        var failures = new List<string>();
        var sent = 0;

        foreach (var (method, path, operation) in Operations(document))
        {
            foreach (var request in Requests(document, method, path, operation))
            {
                sent++;
                using var response = await admin.SendAsync(request.Message());
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500 || (method != HttpMethod.Get && status < 400))
                    failures.Add($"{method} {request.Describe()} → {status} {Truncate(text)}");
                else if (status == 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {request.Describe()} → 400 without problem details");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests misbehaved:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal(before, await State(desk, admin));
        Assert.True(sent > 600, $"only {sent} requests: the OpenAPI document lost endpoints?");
    }

    private static IEnumerable<(HttpMethod, string, JsonNode)> Operations(JsonNode document)
    {
        foreach (var (path, operations) in document["paths"]!.AsObject())
            foreach (var (verb, operation) in operations!.AsObject())
            {
                var method = new HttpMethod(verb.ToUpperInvariant());
                var hasInput = operation!["parameters"] is JsonArray { Count: > 0 } || operation["requestBody"] is not null;
                // A control with no input (start, stop, reload) acts when called; there is nothing to fuzz.
                if (method != HttpMethod.Get && !hasInput) continue;
                yield return (method, path, operation);
            }
    }

    private static IEnumerable<FuzzRequest> Requests(JsonNode document, HttpMethod method, string path, JsonNode operation)
    {
        var parameters = (operation["parameters"] as JsonArray ?? []).Select(p => (Name: (string)p!["name"]!, In: (string)p["in"]!)).ToList();
        var validPath = parameters.Where(p => p.In == "path").Aggregate(path, (current, p) => current.Replace($"{{{p.Name}}}", ValidPathValue(path, p.Name)));
        var schemaName = ((string?)operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"])?.Split('/')[^1];
        var validBody = schemaName is null ? null
            : ValidBodies.TryGetValue(schemaName, out var body) ? body
            : throw new InvalidOperationException($"Add a valid {schemaName} body to {nameof(ValidBodies)} so {method} {path} is fuzzed");

        // A read without input is called once as it is: it must answer without a 5xx too.
        if (parameters.Count == 0 && schemaName is null) yield return new FuzzRequest(method, path, null);
        foreach (var (name, place) in parameters)
            foreach (var bad in BadQueryValues)
            {
                var value = Uri.EscapeDataString(bad);
                yield return place == "path"
                    ? new FuzzRequest(method, path.Replace($"{{{name}}}", value == "" ? "%20" : value), validBody)
                    : new FuzzRequest(method, $"{validPath}?{name}={value}", validBody);
            }

        if (schemaName is null) yield break;
        var properties = document["components"]!["schemas"]![schemaName]!["properties"]!.AsObject();
        foreach (var (field, schema) in properties)
        {
            var bads = (string?)schema!["type"] switch
            {
                "number" or "integer" => BadNumbers,
                "boolean" => BadBooleans,
                "object" => BadObjects,
                "array" => BadArrays,
                _ => BadStrings,
            };
            foreach (var bad in bads)
            {
                var broken = JsonNode.Parse(validBody!)!.AsObject();
                broken[field] = JsonNode.Parse("0");
                yield return new FuzzRequest(method, validPath, broken.ToJsonString().Replace($"\"{field}\":0", $"\"{field}\":{bad}"));
            }
        }
        foreach (var raw in RawBodies) yield return new FuzzRequest(method, validPath, raw);
        yield return new FuzzRequest(method, validPath, validBody, "text/plain");
    }

    private static string ValidPathValue(string path, string name) => name switch
    {
        "market" => "DE-ID-15",
        "id" when path.Contains("strateg") => "hedge-grid-1",
        "id" when path.Contains("keys") => "no-such-key",
        _ => "999999",
    };

    private sealed record FuzzRequest(HttpMethod Method, string Path, string? Body, string ContentType = "application/json")
    {
        public HttpRequestMessage Message() => new(Method, Path)
        {
            Content = Body is null ? null : new StringContent(Body, Encoding.UTF8, ContentType),
        };

        public string Describe() => $"{Truncate(Path)} {Truncate(Body ?? "")}";
    }

    // What a fuzz request could have changed: orders, trades, the journal, keys, halts, strategies, policy, telemetry.
    private static async Task<string> State(DeskFactory desk, HttpClient admin)
    {
        var parts = new List<string> { desk.Services.GetRequiredService<TradeJournal>().Count().ToString() };
        foreach (var url in new[] { "/api/orders?status=all", "/api/trades", "/admin/keys", "/admin/policy", "/api/bess-status" })
            parts.Add(await admin.GetStringAsync(url));
        var deskState = JsonNode.Parse(await admin.GetStringAsync("/admin/desk"))!;
        parts.Add($"{deskState["halted"]} {deskState["reason"]}");
        foreach (var strategy in JsonNode.Parse(await admin.GetStringAsync("/api/strategies"))!["strategies"]!.AsArray())
            parts.Add($"{strategy!["id"]} {strategy["state"]}");
        parts.Add((string?)JsonNode.Parse(await admin.GetStringAsync("/api/strategies/hedge-grid-1/status"))!["throttle"]?.ToString() ?? "");
        parts.Add((string?)JsonNode.Parse(await admin.GetStringAsync("/api/bess/autotrader"))!["enabled"]?.ToString() ?? "");
        return string.Join("\n", parts.Select(p => StripVolatile(p)));
    }

    // Ages and clocks move between the two snapshots; everything else must not.
    private static string StripVolatile(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"(age_seconds|now|timestamp|server_time|uptime_seconds)\":[^,}]*", "");

    private static string Json(string value) => JsonSerializer.Serialize(value);

    private static string Truncate(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
