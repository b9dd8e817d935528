using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Security;

namespace Phoenyra.Web.Tests;

/// <summary>An open dashboard (a circuit) whose key is revoked loses its user within seconds, so the page sends the operator to sign in.</summary>
public sealed class SessionRevalidationTests
{
    [Fact]
    public async Task ACircuitsUser_BecomesAnonymous_SoonAfterItsKeyIsRevoked()
    {
        using var desk = new DeskFactory();
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        var created = await (await admin.PostAsJsonAsync("/admin/keys", new { id = "night-trader", role = "trader" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("night-trader", created.GetProperty("id").GetString());

        using var circuit = desk.Services.CreateScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var key = desk.Services.GetRequiredService<Phoenyra.Ops.Auth.ApiKeyRegistry>().ById("night-trader")!;
        var signedIn = new ClaimsPrincipal(new ClaimsIdentity(desk.Services.GetRequiredService<Phoenyra.Ops.Auth.SessionBook>().Start(key), "Session"));
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(signedIn)));
        var changed = new TaskCompletionSource<ClaimsPrincipal>();
        provider.AuthenticationStateChanged += async state => changed.TrySetResult((await state).User);

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(changed.Task.IsCompleted, "a valid session was signed out");
        (await admin.DeleteAsync("/admin/keys/night-trader")).EnsureSuccessStatusCode();

        var user = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(user.Identity?.IsAuthenticated);
    }
}
