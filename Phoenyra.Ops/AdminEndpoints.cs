using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Security;
using Phoenyra.Ops.Auth;
using Phoenyra.Core.Http;

namespace Phoenyra.Ops;

/// <summary>Admin-only control endpoints: the audit log and key management (every change audited).</summary>
internal static class AdminEndpoints
{
    public sealed record CreateKeyRequest(string? Id, string? Role);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");

        admin.MapGet("/audit", async (IAuditLog audit, string? actor, string? action, DateTimeOffset? since, long? before_id, int? limit) =>
        {
            if (limit is < 1 or > 1000) return Problems.Invalid("limit", "must be between 1 and 1000");
            var entries = await audit.Query(new AuditQuery(actor, action, since, before_id, limit ?? 100));
            return Results.Ok(new { entries, next_before_id = entries.Count > 0 ? entries[^1].Id : (long?)null });
        });

        admin.MapGet("/keys", (ApiKeyRegistry registry) => Results.Ok(registry.List()));

        admin.MapPost("/keys", async (CreateKeyRequest body, ApiKeyRegistry registry, ReservedAccounts reserved, IAuditLog audit, ClaimsPrincipal user) =>
        {
            var errors = new List<Core.Messaging.ValidationError>();
            if (!KeyIds.IsValid(body.Id)) errors.Add(new("id", "must be 1-64 of a-z, 0-9, '-', '_'"));
            else if (reserved.Problem(body.Id) is { } taken) errors.Add(new("id", taken));
            if (!Enum.TryParse<Role>(body.Role, true, out var role) || !Enum.IsDefined(role))
                errors.Add(new("role", "must be viewer, trader, admin or device"));
            if (errors.Count > 0) return Problems.Invalid(errors);
            var actor = ActorOf(user);
            try
            {
                var (info, secret) = registry.Create(body.Id!, role);
                await audit.Record(actor, "key.create", null, new { id = info.Id, role = info.Role }, "ok");
                return Results.Created($"/admin/keys/{info.Id}", new { info.Id, role = info.Role, key = secret, note = "Store this key now; it is not shown again." });
            }
            catch (InvalidOperationException ex)
            {
                await audit.Record(actor, "key.create", null, new { id = body.Id, role }, "rejected: " + ex.Message);
                return Results.Problem(detail: ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
            }
        });

        admin.MapDelete("/keys/{id}", async (string id, bool? cancel_orders, OpsDesk desk, ClaimsPrincipal user) =>
            await desk.RevokeKey(id, ActorOf(user), cancel_orders ?? false)
                ? Results.NoContent()
                : Results.Problem(detail: $"No stored key '{id}' (keys from configuration are removed by editing it).", statusCode: 404, title: "Not found"));
    }

    public static string ActorOf(ClaimsPrincipal user) => user.KeyId();
}
