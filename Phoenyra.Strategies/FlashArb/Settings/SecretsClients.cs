using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Phoenyra.Strategies.FlashArb.Settings;

/// <summary>Reads the flash-arb secrets from where <c>SECRETS_BACKEND</c> points; every failure is one sentence without a secret in it.</summary>
public interface ISecretsClient
{
    Task<IReadOnlyDictionary<string, string>> Fetch(CancellationToken ct);
}

/// <summary>
/// HashiCorp Vault KV v2: <c>GET {VAULT_ADDR}/v1/{mount}/data/{path}</c> with <c>X-Vault-Token</c>
/// (<c>VAULT_SECRET_PATH</c> = <c>mount/path</c>); the values are under <c>data.data</c>.
/// </summary>
public sealed class VaultSecretsClient(HttpClient http, string address, string token, string secretPath) : ISecretsClient
{
    public async Task<IReadOnlyDictionary<string, string>> Fetch(CancellationToken ct)
    {
        var parts = secretPath.Trim('/').Split('/', 2);
        if (parts.Length != 2) throw new SecretsException($"VAULT_SECRET_PATH '{secretPath}' must be mount/path (e.g. secret/flash-green)");
        var url = $"{address.TrimEnd('/')}/v1/{Uri.EscapeDataString(parts[0])}/data/{string.Join('/', parts[1].Split('/').Select(Uri.EscapeDataString))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Vault-Token", token);
        using var response = await Send(http, request, "Vault", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new SecretsException($"Vault answered {(int)response.StatusCode} for {parts[0]}/data/{parts[1]}: {VaultErrors(body)}");
        try
        {
            using var document = JsonDocument.Parse(body);
            return Strings(document.RootElement.GetProperty("data").GetProperty("data"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SecretsException($"Vault's answer for {parts[0]}/data/{parts[1]} is not a KV v2 document (data.data)");
        }
    }

    private static string VaultErrors(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return string.Join("; ", document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "no error text";
        }
    }

    internal static IReadOnlyDictionary<string, string> Strings(JsonElement obj) =>
        obj.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    internal static async Task<HttpResponseMessage> Send(HttpClient http, HttpRequestMessage request, string what, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new SecretsException($"{what} at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} could not be reached ({ex.GetBaseException().Message})");
        }
    }
}

/// <summary>
/// AWS Secrets Manager <c>GetSecretValue</c> (JSON 1.1 over HTTPS, SigV4-signed) for
/// <c>AWS_SECRETS_ID</c> in <c>AWS_SECRETS_REGION</c>; the secret's <c>SecretString</c> is a JSON
/// object. Credentials from <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> (and
/// <c>AWS_SESSION_TOKEN</c>); <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c> or <c>AWS_ENDPOINT_URL</c>
/// point it elsewhere, as the AWS SDKs allow.
/// </summary>
public sealed class AwsSecretsClient(HttpClient http, string region, string secretId, AwsSigV4.Credentials credentials, Uri? endpoint, TimeProvider time) : ISecretsClient
{
    public static AwsSecretsClient From(IConfiguration root, HttpClient http, TimeProvider time)
    {
        var id = root["AWS_ACCESS_KEY_ID"];
        var secret = root["AWS_SECRET_ACCESS_KEY"];
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret))
            throw new SecretsException("AWS credentials are missing: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)");
        var endpoint = root["AWS_ENDPOINT_URL_SECRETS_MANAGER"] ?? root["AWS_ENDPOINT_URL"];
        return new AwsSecretsClient(http, root["AWS_SECRETS_REGION"]!, root["AWS_SECRETS_ID"]!, new AwsSigV4.Credentials(id, secret, root["AWS_SESSION_TOKEN"]),
            string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint), time);
    }

    public async Task<IReadOnlyDictionary<string, string>> Fetch(CancellationToken ct)
    {
        var target = endpoint ?? new Uri($"https://secretsmanager.{region}.amazonaws.com/");
        var payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { SecretId = secretId }));
        var now = time.GetUtcNow();
        var headers = new Dictionary<string, string>
        {
            ["host"] = target.IsDefaultPort ? target.Host : $"{target.Host}:{target.Port}",
            ["content-type"] = "application/x-amz-json-1.1",
            ["x-amz-date"] = AwsSigV4.AmzDate(now),
            ["x-amz-target"] = "secretsmanager.GetSecretValue",
        };
        if (credentials.SessionToken is { Length: > 0 } session) headers["x-amz-security-token"] = session;
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        foreach (var (name, value) in headers.Where(h => h.Key is not ("host" or "content-type"))) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization",
            AwsSigV4.Authorization(credentials, region, "secretsmanager", now, "POST", target.AbsolutePath, "", headers, payload));
        using var response = await VaultSecretsClient.Send(http, request, "AWS Secrets Manager", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!response.IsSuccessStatusCode)
            {
                var type = document.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null;
                var message = document.RootElement.TryGetProperty("message", out var m) || document.RootElement.TryGetProperty("Message", out m) ? m.GetString() : null;
                throw new SecretsException($"AWS Secrets Manager answered {(int)response.StatusCode} for {secretId}: {type?.Split('#')[^1]} {message}".TrimEnd());
            }
            using var secret = JsonDocument.Parse(document.RootElement.GetProperty("SecretString").GetString() ?? "");
            return VaultSecretsClient.Strings(secret.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SecretsException($"AWS Secrets Manager's answer for {secretId} has no JSON object in SecretString");
        }
    }
}

/// <summary>A secrets backend could not give the secrets; the message names what and why, never a value.</summary>
public sealed class SecretsException(string message) : Exception(message);
