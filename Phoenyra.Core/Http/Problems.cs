using Microsoft.AspNetCore.Http;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Http;

/// <summary>RFC 7807 answers, written the same way from middleware, handlers and endpoints.</summary>
public static class Problems
{
    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);

    /// <summary>400 with an <c>errors</c> member mapping each field to its reasons.</summary>
    public static IResult Invalid(IEnumerable<ValidationError> errors, string? detail = null) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
            detail: detail ?? "One or more fields are invalid.",
            title: "Invalid request");

    /// <summary>403 naming the fields the caller's role may not set as asked (a trader loosening a limit).</summary>
    public static IResult Forbidden(IEnumerable<ValidationError> errors, string detail) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
            detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden for this role");

    public static IResult Invalid(string field, string reason) => Invalid([new ValidationError(field, reason)]);
}
