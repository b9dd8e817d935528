using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Phoenyra.Benchmarks.Book;

// Custom harnesses (percentiles, end-to-end, recovery) by name; anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "book":
        BookBench.Run(args.Length > 1 ? int.Parse(args[1]) : 4_000_000);
        return;
    case "load":
        await Phoenyra.Benchmarks.Load.LoadGenerator.Run(args);
        return;
    case "fillheavy":
        await Phoenyra.Benchmarks.Load.FillHeavyBench.Run(args);
        return;
    case "orderentry":
        await Phoenyra.Benchmarks.Load.OrderEntryBench.Run(args);
        return;
    case "optimiser":
        Phoenyra.Benchmarks.Optimiser.OptimiserBench.Run(args);
        return;
    case "telemetry":
        await Phoenyra.Benchmarks.Telemetry.TelemetryBench.Run(args.Length > 1 ? int.Parse(args[1]) : 500_000);
        return;
    case "fanout":
        await Phoenyra.Benchmarks.Live.FanoutBench.Run(args);
        return;
    case "dashboards":
        await Phoenyra.Benchmarks.Live.DashboardLatencyBench.Run(args);
        return;
    case "storefault":
        await Phoenyra.Benchmarks.Reliability.StoreFaultBench.Run(args);
        return;
    case "chaos":
        await Phoenyra.Benchmarks.Cluster.ChaosBench.Run(args);
        return;
    case "standbylag":
        try { await Phoenyra.Benchmarks.Cluster.StandbyLagBench.Run(args); }
        catch (Exception ex) { Console.WriteLine(ex); throw; }
        return;
    case "takeover":
        await Phoenyra.Benchmarks.Cluster.TakeoverBench.Run(args);
        return;
    case "soak":
        await Phoenyra.Benchmarks.Reliability.SoakBench.Run(args);
        return;
    case "recovery":
        await Phoenyra.Benchmarks.Recovery.RecoveryBench.Run(args.Length > 1 && int.TryParse(args[1], out var events) ? events : 1_000_000, args.Contains("--legacy"));
        return;
}

// In-process: the solution is self-contained net9.0, which BenchmarkDotNet's out-of-process
// toolchain would rebuild for a runtime this machine does not have. ShortRun keeps a full pass
// within a few minutes on two cores; pass --job default for tighter intervals.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
