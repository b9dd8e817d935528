using Phoenyra.Core.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Auth;

/// <summary>
/// The dashboard's session: an operator signs in once with their API key and gets an HttpOnly,
/// SameSite=Strict cookie carrying that key's id and role (never the key). The dashboard then acts
/// with that role. Each request re-checks that the key still exists with the same role, so a
/// revoked key ends its sessions. REST endpoints ignore the cookie and still require the key.
/// </summary>
internal static class DashboardSession
{
    public const string Scheme = "Session";

    /// <summary>The default scheme: the API key when one is presented, else the session cookie.</summary>
    public const string KeyOrSession = "KeyOrSession";

    public static void AddSchemes(AuthenticationBuilder authentication)
    {
        authentication.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "phoenyra.session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.LoginPath = "/login";
            options.AccessDeniedPath = "/login";
            options.ReturnUrlParameter = "return_url";
            options.Events.OnValidatePrincipal = context =>
            {
                if (!context.HttpContext.RequestServices.GetRequiredService<SessionBook>().IsValid(context.Principal)) context.RejectPrincipal();
                return Task.CompletedTask;
            };
        });
        authentication.AddPolicyScheme(KeyOrSession, "API key or dashboard session", options =>
            options.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.PresentedKey(context) is null ? Scheme : ApiKeyAuthenticationHandler.SchemeName);
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/auth").WithTags("Dashboard session").ExcludeFromDescription();

        auth.MapPost("/login", async ([FromForm(Name = "api_key")] string? apiKey, [FromForm(Name = "return_url")] string? returnUrl,
            HttpContext context, ApiKeyRegistry registry, SessionBook sessions, IAuditLog audit, FailedAuthGuard failures) =>
        {
            var key = string.IsNullOrWhiteSpace(apiKey) ? null : registry.Find(apiKey.Trim());
            if (key is null)
            {
                var address = FailedAuthGuard.Address(context);
                failures.Failed(address, "dashboard sign-in with an unknown key");
                await audit.Record("anonymous", "session.login_failed", null, new { address }, "denied");
                return Results.Redirect(LoginUrl("invalid", returnUrl));
            }
            if (key.Role < Role.Viewer) return Results.Redirect(LoginUrl("device", returnUrl)); // device and alertmanager keys post, they never browse
            var identity = new ClaimsIdentity(sessions.Start(key), Scheme);
            await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
            await audit.Record(key.Id, "session.login", null, new { role = key.Role }, "ok");
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
        });

        auth.MapPost("/logout", async ([FromForm(Name = "reason")] string? reason, HttpContext context, SessionBook sessions, IAuditLog audit) =>
        {
            var result = await context.AuthenticateAsync(Scheme);
            if (result.Principal is { } signedIn) sessions.End(signedIn);
            await context.SignOutAsync(Scheme);
            if (result.Principal?.KnownKeyId() is { } id) await audit.Append(id, "session.logout", null, null, "ok");
            return Results.Redirect("/login");
        });
    }

    private static string LoginUrl(string error, string? returnUrl) =>
        $"/login?error={error}" + (IsLocal(returnUrl) ? $"&return_url={Uri.EscapeDataString(returnUrl!)}" : "");

    /// <summary>
    /// Only paths on this site, so the login form cannot be used to redirect elsewhere. Browsers drop
    /// tabs and newlines from URLs (<c>/\t/evil.example</c> becomes <c>//evil.example</c>), so any
    /// control character or whitespace disqualifies a URL.
    /// </summary>
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
