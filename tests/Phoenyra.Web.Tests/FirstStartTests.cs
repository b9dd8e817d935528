using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>A published desk (Production) starts without demo keys, even when told to make them, and says how to make the first one.</summary>
public sealed class FirstStartTests : IAsyncLifetime
{
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["Phoenyra__Auth__DemoKeys"] = "true"; // ignored outside Development
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public void OutsideDevelopment_NoDemoKeysAreMade_AndTheConsoleSaysHowToCreateTheFirstKey()
    {
        Assert.Contains("Phoenyra:Auth:DemoKeys is ignored outside Development", _desk.Output);
        Assert.Contains("No API keys exist yet. Create the first one with: Phoenyra.Web keys create --id ops --role admin", _desk.Output);
        Assert.DoesNotContain("demo API keys", _desk.Output);
        Assert.DoesNotContain("pho_", _desk.Output);
    }
}
