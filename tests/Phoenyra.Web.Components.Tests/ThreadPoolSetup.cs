namespace Phoenyra.Web.Components.Tests;

/// <summary>
/// The component tests run real desk services beside bUnit's renderer on a two-core machine: with the
/// thread pool at its default minimum (the core count) a burst of desk work can keep the renderer's
/// dispatcher from running a wait's check in time (seen once in a clean run). More threads up front.
/// </summary>
internal static class ThreadPoolSetup
{
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void RaiseMinThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 4), io);
    }
}
