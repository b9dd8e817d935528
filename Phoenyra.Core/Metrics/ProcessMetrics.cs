using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Phoenyra.Core.Metrics;

/// <summary>The conventional process_* and .NET runtime families, observed at scrape time.</summary>
internal sealed class ProcessMetrics : IMetricSet
{
    public ProcessMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Process");
        var startTime = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        meter.CreateObservableCounter("process_cpu_seconds_total",
            () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, description: "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge("process_resident_memory_bytes",
            () => Environment.WorkingSet, description: "Resident memory size in bytes.");
        meter.CreateObservableGauge("process_start_time_seconds",
            () => startTime, description: "Start time of the process since unix epoch in seconds.");
        meter.CreateObservableGauge("process_open_fds", OpenFileDescriptors, description: "Number of open file descriptors.");
        meter.CreateObservableGauge("dotnet_gc_heap_bytes",
            () => GC.GetTotalMemory(false), description: "Bytes currently allocated on the managed heap.");
        meter.CreateObservableCounter("dotnet_gc_collections_total", () => new[]
        {
            new Measurement<long>(GC.CollectionCount(0), new KeyValuePair<string, object?>("generation", "0")),
            new Measurement<long>(GC.CollectionCount(1), new KeyValuePair<string, object?>("generation", "1")),
            new Measurement<long>(GC.CollectionCount(2), new KeyValuePair<string, object?>("generation", "2")),
        }, description: "Garbage collections since the process started, by generation.");
        meter.CreateObservableGauge("dotnet_threadpool_threads",
            () => ThreadPool.ThreadCount, description: "Thread-pool threads currently alive.");
    }

    private static long OpenFileDescriptors()
    {
        try { return Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount(); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
