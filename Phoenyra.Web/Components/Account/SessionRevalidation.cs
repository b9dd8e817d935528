using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Phoenyra.Core.Security;
using Phoenyra.Ops;

namespace Phoenyra.Web.Components.Account;

/// <summary>
/// An open dashboard re-checks its session every few seconds: once the key is revoked (from the
/// dashboard, the API or the CLI) or its role changed, the operator signed out elsewhere, or the
/// session's lifetime is over, the circuit's user becomes anonymous and the page sends the operator
/// to the sign-in form.
/// </summary>
internal sealed class SessionRevalidation(ILoggerFactory loggers, OpsDesk ops) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(3);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        Task.FromResult(ops.SessionIsValid(state.User));
}
