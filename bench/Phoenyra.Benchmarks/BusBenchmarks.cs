using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Benchmarks;

/// <summary>What the bus costs over a direct call: three behaviours on Send, a bounded subscriber feed on Publish.</summary>
[MemoryDiagnoser]
public class BusBenchmarks
{
    public sealed record Ping(int N) : ICommand<int>;
    public sealed record Ticked(int N) : IEvent;

    public sealed class PingHandler : ICommandHandler<Ping, int>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public ValueTask<int> Handle(Ping command, CancellationToken cancellationToken) => ValueTask.FromResult(command.N + 1);
    }

    private IHost _host = null!;
    private IBus _bus = null!;
    private PingHandler _handler = null!;
    private IEventSubscription<Ticked> _feed = null!;
    private readonly Ping _ping = new(41);
    private readonly Ticked _tick = new(1);

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateApplicationBuilder(["--Logging:LogLevel:Default=Warning", $"--Phoenyra:DataDir={Path.GetTempPath()}/phoenyra-bench"]);
        builder.AddCoreModule();
        builder.Services.AddSingleton<ICommandHandler<Ping, int>, PingHandler>();
        _host = builder.Build();
        _bus = _host.Services.GetRequiredService<IBus>();
        _handler = new PingHandler();
        _feed = _bus.Subscribe<Ticked>(capacity: 1024);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _feed.Dispose();
        _host.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int DirectHandlerCall() => _handler.Handle(_ping, default).Result;

    [Benchmark]
    public int SendThroughBehaviours() => _bus.Send(_ping).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public void PublishToOneSubscriber()
    {
        _bus.Publish(_tick).AsTask().GetAwaiter().GetResult();
        _feed.Reader.TryRead(out _);
    }
}
