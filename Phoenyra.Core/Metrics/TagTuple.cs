namespace Phoenyra.Core.Metrics;

/// <summary>Up to three tags in the order the caller gave them; equal tuples name the same series.</summary>
internal readonly record struct TagTuple(
    string? Key1, object? Value1,
    string? Key2, object? Value2,
    string? Key3, object? Value3)
{
    public const int Capacity = 3;

    public static TagTuple From(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
    {
        0 => default,
        1 => new(tags[0].Key, tags[0].Value, null, null, null, null),
        2 => new(tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value, null, null),
        _ => new(tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value, tags[2].Key, tags[2].Value),
    };
}
