using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Phoenyra.Web.Components.Shared;

/// <summary>
/// Base of live chart components: imports the chart module once, and makes every JS call safe when
/// the operator has already navigated away (the component is disposed while an await was pending),
/// so a quick click through the pages never breaks the circuit.
/// </summary>
public abstract class ChartComponent : ComponentBase, IAsyncDisposable
{
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private IJSObjectReference? _module;

    protected ElementReference Element;

    protected bool Disposed { get; private set; }

    /// <summary>The chart module: <c>js/charts.js</c> (ApexCharts), or <c>js/livechart.js</c> (canvas, for series that move every second).</summary>
    protected virtual string Module => "./js/charts.js";

    /// <summary>Calls a function of the chart module with the chart element first; false once the chart is gone.</summary>
    protected async Task<bool> Chart(string function, params object?[] args)
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", Module);
            if (Disposed) return false;
            await _module.InvokeVoidAsync(function, [Element, .. args]);
            return !Disposed;
        }
        catch (Exception ex) when (ex is JSDisconnectedException or TaskCanceledException || Disposed && ex is JSException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Stop feeds and timers here.</summary>
    protected virtual void OnDispose() { }

    public async ValueTask DisposeAsync()
    {
        Disposed = true;
        OnDispose();
        GC.SuppressFinalize(this);
        if (_module is null) return;
        try
        {
            await _module.InvokeVoidAsync("destroy", Element);
            await _module.DisposeAsync();
        }
        catch (Exception ex) when (ex is JSDisconnectedException or JSException or TaskCanceledException or ObjectDisposedException) { }
    }
}
