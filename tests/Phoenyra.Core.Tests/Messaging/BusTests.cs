using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Tests.Messaging;

public sealed class BusTests
{
    private sealed record Place(int Quantity) : ICommand<string>;
    private sealed record Happened(int N) : IEvent;
    private sealed class Trace { public List<string> Steps { get; } = []; }

    private sealed class PlaceHandler(Trace trace) : ICommandHandler<Place, string>
    {
        public ValueTask<string> Handle(Place command, CancellationToken cancellationToken)
        {
            trace.Steps.Add("handler");
            return ValueTask.FromResult($"placed {command.Quantity}");
        }
    }

    private sealed class TracingBehavior(Trace trace, string name) : IPipelineBehavior
    {
        public async ValueTask<TResult> Handle<TCommand, TResult>(TCommand command, CommandContinuation<TResult> next, CancellationToken cancellationToken)
            where TCommand : ICommand<TResult>
        {
            trace.Steps.Add($"{name}:before");
            var result = await next();
            trace.Steps.Add($"{name}:after");
            return result;
        }
    }

    private sealed class PositiveQuantity : IValidator<Place>
    {
        public IEnumerable<ValidationError> Validate(Place command)
        {
            if (command.Quantity <= 0) yield return new ValidationError("quantity", "must be greater than 0");
        }
    }

    private sealed class RecordingHandler(Trace trace, string name, bool fail = false) : IEventHandler<Happened>
    {
        public ValueTask Handle(Happened @event, CancellationToken cancellationToken)
        {
            trace.Steps.Add($"{name}:{@event.N}");
            return fail ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Send_RunsBehavioursOutermostFirst_ThenTheHandler()
    {
        var trace = new Trace();
        using var services = TestHost.Bus(s =>
        {
            s.AddSingleton(trace);
            s.AddSingleton<IPipelineBehavior>(new TracingBehavior(trace, "outer"));
            s.AddSingleton<IPipelineBehavior>(new TracingBehavior(trace, "inner"));
            s.AddSingleton<ICommandHandler<Place, string>, PlaceHandler>();
        });

        var result = await services.GetRequiredService<IBus>().Send(new Place(3));

        Assert.Equal("placed 3", result);
        Assert.Equal(["outer:before", "inner:before", "handler", "inner:after", "outer:after"], trace.Steps);
    }

    [Fact]
    public async Task Send_WhenValidatorObjects_NeverReachesHandlerAndNamesTheField()
    {
        var trace = new Trace();
        using var services = TestHost.Bus(s =>
        {
            s.AddSingleton(trace);
            s.AddSingleton<ICommandHandler<Place, string>, PlaceHandler>();
            s.AddSingleton<IValidator<Place>, PositiveQuantity>();
        });

        var error = await Assert.ThrowsAsync<CommandValidationException>(async () => await services.GetRequiredService<IBus>().Send(new Place(0)));

        Assert.Empty(trace.Steps);
        var only = Assert.Single(error.Errors);
        Assert.Equal("quantity", only.Field);
        Assert.Contains("greater than 0", error.Message);
    }

    [Fact]
    public async Task Send_WithoutHandler_SaysWhichCommandIsUnhandled()
    {
        using var services = TestHost.Bus();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await services.GetRequiredService<IBus>().Send(new Place(1)));
        Assert.Contains(nameof(Place), error.Message);
    }

    [Fact]
    public async Task Publish_RunsHandlersInRegistrationOrder_ForEveryEventInOrder()
    {
        var trace = new Trace();
        using var services = TestHost.Bus(s =>
        {
            s.AddSingleton<IEventHandler<Happened>>(new RecordingHandler(trace, "a"));
            s.AddSingleton<IEventHandler<Happened>>(new RecordingHandler(trace, "b"));
        });
        var bus = services.GetRequiredService<IBus>();

        for (var i = 1; i <= 3; i++) await bus.Publish(new Happened(i));

        Assert.Equal(["a:1", "b:1", "a:2", "b:2", "a:3", "b:3"], trace.Steps);
    }

    [Fact]
    public async Task Publish_WhenOneHandlerThrows_TheOthersStillRunAndThePublisherContinues()
    {
        var trace = new Trace();
        using var services = TestHost.Bus(s =>
        {
            s.AddSingleton<IEventHandler<Happened>>(new RecordingHandler(trace, "bad", fail: true));
            s.AddSingleton<IEventHandler<Happened>>(new RecordingHandler(trace, "good"));
        });

        await services.GetRequiredService<IBus>().Publish(new Happened(7));

        Assert.Equal(["bad:7", "good:7"], trace.Steps);
    }

    [Fact]
    public async Task Subscribe_WhenReaderFallsBehind_DropsOldestWithoutBlockingThePublisher()
    {
        using var services = TestHost.Bus();
        var bus = services.GetRequiredService<IBus>();
        using var slow = bus.Subscribe<Happened>(capacity: 4);

        // Nobody reads: every publish must still complete at once.
        for (var i = 1; i <= 100; i++)
            Assert.True(bus.Publish(new Happened(i)).IsCompletedSuccessfully);

        var received = new List<int>();
        while (slow.Reader.TryRead(out var e)) received.Add(e.N);
        Assert.Equal([97, 98, 99, 100], received);
        Assert.Equal(96, slow.Dropped);
    }

    [Fact]
    public async Task Subscribe_AfterDispose_ReceivesNothingAndCompletes()
    {
        using var services = TestHost.Bus();
        var bus = services.GetRequiredService<IBus>();
        var subscription = bus.Subscribe<Happened>();
        await bus.Publish(new Happened(1));
        subscription.Dispose();
        await bus.Publish(new Happened(2));

        Assert.True(subscription.Reader.TryRead(out var first));
        Assert.Equal(1, first.N);
        Assert.False(subscription.Reader.TryRead(out _));
        Assert.True(subscription.Reader.Completion.IsCompleted);
    }
}
