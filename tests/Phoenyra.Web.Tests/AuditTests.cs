using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

public sealed class AuditTests(DeskFactory desk) : IClassFixture<DeskFactory>
{
    private HttpClient Admin => desk.ClientWithKey(DeskFactory.AdminKey);

    [Fact]
    public async Task CreatingAKey_ShowsItOnce_AuditsIt_AndTheKeyWorks_UntilRevoked()
    {
        var created = await Admin.PostAsJsonAsync("/admin/keys", new { id = "desk-bot", role = "trader" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        var bot = desk.ClientWithKey(secret);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bot.GetAsync("/admin/keys")).StatusCode);

        var audit = await Admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=key.create");
        var entry = audit.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("after").GetString()!.Contains("desk-bot"));
        Assert.Equal("test-admin", entry.GetProperty("actor").GetString());
        Assert.Equal("ok", entry.GetProperty("result").GetString());
        Assert.True(entry.GetProperty("time_utc").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.DoesNotContain(secret, audit.ToString());

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/admin/keys/desk-bot")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.GetAsync("/metrics")).StatusCode);
        var revocations = await Admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=key.revoke&actor=test-admin");
        Assert.Contains(revocations.GetProperty("entries").EnumerateArray(), e => e.GetProperty("before").GetString()!.Contains("desk-bot"));
    }

    [Fact]
    public async Task RevokingWithCancelOrders_CancelsTheKeysRestingOrders_AndABadFlagRevokesNothing()
    {
        var created = await Admin.PostAsJsonAsync("/admin/keys", new { id = "quote-bot", role = "trader" });
        var bot = desk.ClientWithKey((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
        var bid = await bot.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 0.1, price = 1.0, type = "limit", tif = "gtc" });
        var id = (await bid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var bad = await Admin.DeleteAsync("/admin/keys/quote-bot?cancel_orders=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cancel_orders", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/api/orders")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/admin/keys/quote-bot?cancel_orders=true")).StatusCode);
        for (var i = 0; i < 100 && (await Admin.GetStringAsync("/api/orders?market=DE-ID-15")).Contains($"\"id\":{id},"); i++) await Task.Delay(50);
        var order = (await Admin.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-15&status=all")).EnumerateArray().Single(o => o.GetProperty("id").GetInt64() == id);
        Assert.Equal("cancelled", order.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARejectedControlAction_IsAuditedToo()
    {
        await Admin.PostAsJsonAsync("/admin/keys", new { id = "twice", role = "viewer" });
        var again = await Admin.PostAsJsonAsync("/admin/keys", new { id = "twice", role = "viewer" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var audit = await Admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=key.create");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("result").GetString()!.StartsWith("rejected"));
    }

    [Fact]
    public async Task InvalidKeyRequest_Is400ProblemDetailsNamingEachField_AndCreatesNothing()
    {
        var response = await Admin.PostAsJsonAsync("/admin/keys", new { id = "Bad Id!", role = "emperor" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("id", out _));
        Assert.Contains("viewer, trader, admin or device", errors.GetProperty("role")[0].GetString());
        Assert.DoesNotContain("Bad Id!", await Admin.GetStringAsync("/admin/keys"));
    }

    [Fact]
    public async Task MalformedJson_Is400ProblemDetails()
    {
        var response = await Admin.PostAsync("/admin/keys", new StringContent("{\"id\": 42,", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WrongJsonType_Is400NamingTheField()
    {
        var response = await Admin.PostAsync("/admin/keys", new StringContent("{\"id\": 42, \"role\": \"viewer\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _), problem.ToString());
    }

    [Fact]
    public async Task UnknownRoute_IsProblemDetails()
    {
        var response = await Admin.GetAsync("/api/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AuditLog_IsAppendOnly_EvenForDirectSql()
    {
        await Admin.PostAsJsonAsync("/admin/keys", new { id = "append-only", role = "viewer" });
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(desk.DataDir, "phoenyra.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit_log";

        var error = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => command.ExecuteNonQuery());
        Assert.Contains("append-only", error.Message);
    }

    [Fact]
    public async Task AuditQuery_WithBadLimit_Is400NamingLimit()
    {
        var response = await Admin.GetAsync("/admin/audit?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task CreatedSecrets_NeverReachTheLogFiles()
    {
        var created = await Admin.PostAsJsonAsync("/admin/keys", new { id = "log-check", role = "admin" });
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        await Admin.GetAsync("/admin/keys");

        var text = "";
        foreach (var file in Directory.GetFiles(Path.Combine(desk.DataDir, "logs")))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            text += await new StreamReader(stream).ReadToEndAsync();
        }
        Assert.Contains("API keys loaded", text); // the log is being written...
        Assert.DoesNotContain(secret, text);      // ...and holds no secret
        Assert.DoesNotContain(DeskFactory.AdminKey, text);
    }
}
