using Microsoft.Extensions.DependencyInjection;

namespace Phoenyra.Core.Metrics;

/// <summary>
/// A module's instruments, created from the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>
/// when the set is constructed. Registered with <see cref="MetricSetRegistration.AddMetricSet{T}"/>; the
/// exporter builds every registered set, so gauges exist because they are registered, not because
/// some other service happened to be resolved.
/// </summary>
public interface IMetricSet
{
    /// <summary>
    /// Called once the exporter listens: record 0 on the counters whose series must exist before
    /// the first event (an alert on <c>increase(...)</c> cannot see the first one otherwise).
    /// </summary>
    void StartAtZero() { }
}

public static class MetricSetRegistration
{
    public static IServiceCollection AddMetricSet<T>(this IServiceCollection services) where T : class, IMetricSet
    {
        services.AddSingleton<T>();
        services.AddSingleton<IMetricSet>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
