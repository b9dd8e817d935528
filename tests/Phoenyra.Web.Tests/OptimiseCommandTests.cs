using System.Diagnostics;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>The optimiser as an operator calls it: a subcommand of the desk binary.</summary>
[Trait("Category", SharedData.Category)]
public sealed class OptimiseCommandTests
{
    private static string Prices(string file) => SharedData.PricesFile(file);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var start = new ProcessStartInfo(RepoPaths.DeskBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Json_CarriesTheGoldenRevenue_AndTheFeasibleVariant()
    {
        var (code, output, error) = await Run("optimise", "--prices", Prices("DE-LU_DA_hourly_2025_SMARD.csv"), "--power", "1", "--energy", "2", "--rte", "0.9", "--json");

        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(91_977.31m, json.GetProperty("revenue_eur").GetDecimal());
        Assert.Equal(91_730.47m, json.GetProperty("revenue_eur_no_simultaneous").GetDecimal()); // the MILP optimum (README: 91,730)
        Assert.True(json.GetProperty("no_simultaneous_exact").GetBoolean());
        Assert.Equal(91_726.18m, json.GetProperty("revenue_eur_no_simultaneous_heuristic").GetDecimal());
        Assert.Equal(8760, json.GetProperty("steps").GetInt32());
        Assert.True(json.GetProperty("cycles").GetDouble() > 0);
        Assert.True(json.GetProperty("elapsed_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Table_IsReadable_WithACycleCap()
    {
        var (code, output, _) = await Run("optimise", "--prices", Prices("DE-LU_DA_15min_2025-12_SMARD.csv"), "--power", "1", "--energy", "2", "--rte", "0.9", "--cycles-per-day", "1");

        Assert.Equal(0, code);
        Assert.Contains("revenue (LP optimum)", output);
        Assert.Contains("3,186.79 EUR", output);
        Assert.Contains("2025-12", output);
    }

    [Fact]
    public async Task BadArguments_ExitWith2_AndNameTheOption()
    {
        var (code, _, error) = await Run("optimise", "--prices", Prices("DE-LU_DA_hourly_2025_SMARD.csv"), "--power", "one", "--energy", "2");
        var (missing, _, missingError) = await Run("optimise", "--prices", "/nonexistent.csv", "--power", "1", "--energy", "2");

        Assert.Equal(2, code);
        Assert.Contains("--power: 'one' is not a number", error);
        Assert.Equal(2, missing);
        Assert.Contains("--prices:", missingError);
    }

    [Fact]
    public async Task RollingWithImbalance_ReportsTheDayAheadCommitmentAndTheCostOfDeviatingFromIt_AndNeedsRolling()
    {
        var prices = Prices("DE-LU_DA_15min_2025-12_SMARD.csv");
        var rebap = Prices("DE_reBAP_15min_2025-12_TransnetBW.csv");

        var (code, output, error) = await Run("optimise", "--prices", prices, "--power", "1", "--energy", "2", "--rte", "0.9", "--rolling", "day-ahead", "--imbalance", rebap, "--json");
        var (refused, _, why) = await Run("optimise", "--prices", prices, "--power", "1", "--energy", "2", "--imbalance", rebap);

        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0, json.GetProperty("imbalance_unpriced_steps").GetInt32());
        Assert.True(json.GetProperty("imbalance_deviation_mwh").GetDouble() > 0);
        Assert.Equal(json.GetProperty("imbalance_committed_revenue_eur").GetDecimal() - json.GetProperty("imbalance_cost_eur").GetDecimal(),
            json.GetProperty("imbalance_net_eur").GetDecimal(), 2);
        Assert.Equal(2, refused);
        Assert.Contains("--imbalance: needs --rolling", why);
    }
}
