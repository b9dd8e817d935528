using System.Net;
using System.Net.Sockets;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary with no trusted proxy (the default): <c>X-Forwarded-For</c> is ignored, so a key
/// guesser cannot dodge the failed-auth limit by inventing an address per request, nor lock a victim
/// out by naming the victim's address.
/// </summary>
public sealed class ForwardedHeaderTests : IAsyncLifetime
{
    private const string TraderKey = "forwarded-trader-key-0123456789abcd";
    private const string Victim = "127.0.0.2";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["Phoenyra__Auth__FailedAuth__PerMinute"] = "20";
        // The victim's own address is a second loopback address the desk also listens on.
        _desk.Environment["ASPNETCORE_URLS"] = $"{_desk.BaseUrl};http://{Victim}:{_desk.Port}";
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public async Task ThreeHundredWrongKeys_EachNamingAnotherAddress_Still429_AndTheNamedVictimIsNotLockedOut()
    {
        using var attacker = _desk.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            using var guess = new HttpRequestMessage(HttpMethod.Get, "/api/positions");
            guess.Headers.Add("X-API-Key", $"guess-{i:D4}-0123456789abcdef");
            guess.Headers.Add("X-Forwarded-For", i % 2 == 0 ? Victim : $"10.{i / 250}.{i % 250}.1");
            statuses.Add((await attacker.SendAsync(guess)).StatusCode);
        }
        using var victim = new HttpClient(new SocketsHttpHandler { ConnectCallback = FromVictim }) { BaseAddress = new Uri($"http://{Victim}:{_desk.Port}") };
        victim.DefaultRequestHeaders.Add("X-API-Key", TraderKey);
        var victimAnswer = await victim.GetAsync("/api/positions");

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(280, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, victimAnswer.StatusCode);
        Assert.DoesNotContain("Failed authentication from 10.", _desk.Output);
    }

    private static async ValueTask<Stream> FromVictim(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(Victim), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
