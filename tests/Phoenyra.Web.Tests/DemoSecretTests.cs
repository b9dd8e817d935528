using System.Net.WebSockets;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// Seed 000's verifiers use phoenyra_demo_secret. A desk in Development (as <c>dotnet run</c> starts it)
/// with no secret configured signs with it, so they work as written; outside Development never.
/// </summary>
public sealed class DemoSecretTests
{
    private const string ViewerKey = "demo-secret-viewer-key-0123456789abcd";

    [Theory]
    [InlineData("Development", "ok")]
    [InlineData("Production", "bad_signature")]
    public async Task TheSeedsVerifier_WithTheDemoSecret_AcceptsADevelopmentDeskOnly(string environment, string verdict)
    {
        await using var desk = new DeskProcess();
        desk.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        desk.AddKey("demo-secret-viewer", "viewer", ViewerKey);
        await desk.Start();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{desk.Port}/ws/market?api_key={ViewerKey}"), CancellationToken.None);
        var frames = new List<string>();
        while (frames.Count < 3)
            if (await StreamVerifierTests.Receive(socket) is var frame && frame.Contains(",\"seq\":")) frames.Add(frame); // marks from the demo prices

        var verdicts = await Verifier.PythonOffline("phoenyra_demo_secret", frames);

        Assert.All(verdicts, v => Assert.Equal(verdict, v));
        Assert.Equal(environment == "Development", desk.Output.Contains("seed's demo secret"));
    }
}
