using System.Globalization;
using Microsoft.AspNetCore.Http;
using Phoenyra.Core.Messaging;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Api;

/// <summary>A stream handshake's options: <c>since</c> (last seq seen), <c>epoch</c> (from the hello) and <c>alg</c>.</summary>
internal sealed record StreamRequest(long? Since, long? Epoch, SignatureAlgorithm Algorithm)
{
    public static (StreamRequest? Request, List<ValidationError> Errors) Parse(IQueryCollection query)
    {
        var errors = new List<ValidationError>();
        var since = Long(query, "since", errors);
        var epoch = Long(query, "epoch", errors);
        var algorithm = query["alg"].ToString().ToLowerInvariant() switch
        {
            "" or "hs256" => SignatureAlgorithm.HS256,
            "es256" => SignatureAlgorithm.ES256,
            _ => (SignatureAlgorithm?)null,
        };
        if (algorithm is null) errors.Add(new("alg", "must be hs256 (default) or es256"));
        return errors.Count > 0 ? (null, errors) : (new StreamRequest(since, epoch, algorithm!.Value), errors);
    }

    private static long? Long(IQueryCollection query, string name, List<ValidationError> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0) return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(new(name, "must be a whole number ≥ 0"));
        return null;
    }
}
