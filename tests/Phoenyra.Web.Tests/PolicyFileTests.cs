using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The policy.yaml a user edits is the one in force: started from a folder holding one (as
/// <c>dotnet run</c> starts in the repository root), the desk watches that file, not the copy beside the binary.
/// </summary>
public sealed class PolicyFileTests : IAsyncLifetime
{
    private const string AdminKey = "policy-file-admin-key-0123456789abcdef";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phoenyra-policy-tests", Guid.NewGuid().ToString("N"));
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        File.Copy(RepoPaths.File("policy.yaml"), Path.Combine(_folder, "policy.yaml"));
        _desk.WorkingDirectory = _folder;
        _desk.Environment["ADMIN_KEY"] = AdminKey;
        await _desk.Start();
    }

    public async Task DisposeAsync()
    {
        await _desk.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EditingThePolicyInTheWorkingDirectory_IsPickedUp_AndItsFullPathIsLogged()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_desk.BaseUrl) };
        admin.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
        var edited = Path.Combine(_folder, "policy.yaml");
        var before = await admin.GetFromJsonAsync<JsonElement>("/admin/policy");
        Assert.Contains($"from {edited}:", _desk.Output);

        await File.WriteAllTextAsync(edited, (await File.ReadAllTextAsync(edited)).Replace("trading_state: active", "trading_state: reducing"));

        for (var attempt = 0; attempt < 100; attempt++)
        {
            var now = await admin.GetFromJsonAsync<JsonElement>("/admin/policy");
            if (now.GetProperty("hash").GetString() != before.GetProperty("hash").GetString())
            {
                Assert.Equal(before.GetProperty("version").GetInt32() + 1, now.GetProperty("version").GetInt32());
                Assert.Contains("reducing", now.GetRawText());
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("the edit of the working directory's policy.yaml was not picked up");
    }
}
