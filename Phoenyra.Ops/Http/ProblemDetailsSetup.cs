using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Messaging;

using Phoenyra.Core.Http;

namespace Phoenyra.Ops.Http;

/// <summary>Every error leaves the process as problem details: bad JSON, validation, unknown routes, crashes.</summary>
internal static class ProblemDetailsSetup
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<KnownExceptionHandler>();
        services.AddExceptionHandler<UnexpectedExceptionLogger>();
    }

    public static void Use(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }

    /// <summary>
    /// ASP.NET's middleware logs every exception, expected or not; its category is silenced in
    /// appsettings and the ones no handler knows are logged here instead.
    /// </summary>
    private sealed class UnexpectedExceptionLogger(Microsoft.Extensions.Logging.ILogger<UnexpectedExceptionLogger> logger) : IExceptionHandler
    {
        public ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
            return ValueTask.FromResult(false);
        }
    }

    private sealed class KnownExceptionHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            IResult? result = exception switch
            {
                CommandValidationException invalid => Problems.Invalid(invalid.Errors),
                BadHttpRequestException { InnerException: JsonException json } => Problems.Invalid(JsonField(json), JsonReason(json)),
                BadHttpRequestException { StatusCode: 400 } bad => Problems.Invalid("body", FirstLine(bad.Message)),
                BadHttpRequestException bad => Results.Problem(detail: bad.Message, statusCode: bad.StatusCode, title: "Bad request"),
                Core.Cluster.NotLeaderException notLeader => Core.Cluster.LeaderOnlyRequests.NotLeader(context, context.RequestServices.GetRequiredService<Core.Cluster.ILeadership>(), notLeader.Message),
                // The store (a PostgreSQL server that is down or failing over, a SQLite file that refuses writes): retry shortly.
                System.Data.Common.DbException => StoreUnavailable(context),
                _ => null,
            };
            if (result is null) return false;
            await result.ExecuteAsync(context);
            return true;
        }

        private static IResult StoreUnavailable(HttpContext context)
        {
            context.Response.Headers.RetryAfter = "2";
            return Results.Problem(detail: "The store cannot be reached right now; try again in a few seconds.", statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Store unavailable", extensions: new Dictionary<string, object?> { ["reason"] = "store_unavailable" });
        }

        // "$.quantity" → "quantity"; the path is what names the field for the user.
        private static string JsonField(JsonException json) =>
            string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');

        private static string FirstLine(string text) => text.Split('\n')[0].Trim();

        // The serializer's own message names internal types; say what the client can act on.
        private static string JsonReason(JsonException json) =>
            json.Path is null or "$"
                ? $"is not valid JSON for this request (line {json.LineNumber + 1}, byte {json.BytePositionInLine})"
                : $"has a value of the wrong type or is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine})";
    }
}
