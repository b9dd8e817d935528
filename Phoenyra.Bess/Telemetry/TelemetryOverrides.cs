using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Security;

namespace Phoenyra.Bess.Telemetry;

/// <summary>
/// Who may post a reading in place of the battery (REST with a trader's or admin's key, or the BESS
/// page's sliders). A made-up SoC moves real guards, so in Production only an admin may, and only
/// while <c>Phoenyra:Bess:DashboardOverrides</c> is on; elsewhere a trader may.
/// </summary>
public static class TelemetryOverrides
{
    public const string Setting = "Phoenyra:Bess:DashboardOverrides";

    public static bool Allowed(IHostEnvironment environment, bool dashboardOverrides, Role role) =>
        environment.IsProduction() ? dashboardOverrides && role == Role.Admin : role >= Role.Trader;

    /// <summary>Why a caller may not, in the words of the refusal.</summary>
    public static string Refusal(bool dashboardOverrides) => dashboardOverrides
        ? "In Production only an admin key may post a reading in place of the battery."
        : $"In Production readings in place of the battery are off ({Setting} is false); post with the site's device key.";
}
