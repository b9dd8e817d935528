using System.Globalization;

namespace Phoenyra.Core.Prices;

/// <summary>One row of a price file: the UTC time and the price in EUR/MWh.</summary>
public readonly record struct PricePoint(DateTimeOffset Time, decimal Price);

/// <summary>A row that could not be read, with its 1-based line number.</summary>
public sealed record CsvRowError(int Line, string Problem);

/// <summary>What a price file held: the good rows in time order and every bad row with its reason.</summary>
public sealed record PriceSeries(IReadOnlyList<PricePoint> Points, IReadOnlyList<CsvRowError> Errors, TimeSpan Step);

/// <summary>
/// Reads price CSVs in the shape of the SMARD day-ahead exports: a header naming
/// <c>timestamp_utc</c> and <c>price_eur_mwh</c> (other columns are ignored), ISO 8601 UTC times.
/// Bad rows are reported by line and skipped; a file without the columns is an error.
/// </summary>
public static class CsvPriceFile
{
    public const string PriceColumn = "price_eur_mwh";

    /// <param name="column">The price column (the reBAP files: <c>rebap_pos_eur_mwh</c>, <c>rebap_neg_eur_mwh</c>).</param>
    public static PriceSeries Read(string path, string column = PriceColumn) => Parse(File.ReadLines(path), column: column);

    /// <summary>
    /// Reads the rows; more than <paramref name="maxRows"/> good rows or <paramref name="maxErrors"/>
    /// bad ones stop the read with a <see cref="FormatException"/> saying so.
    /// </summary>
    public static PriceSeries Parse(IEnumerable<string> lines, int maxRows = int.MaxValue, int maxErrors = int.MaxValue, string column = PriceColumn)
    {
        using var reader = lines.GetEnumerator();
        if (!reader.MoveNext()) throw new FormatException($"The file is empty; expected a header with timestamp_utc and {column}.");
        var header = reader.Current.TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"')).ToList();
        var timeColumn = header.IndexOf("timestamp_utc");
        var priceColumn = header.IndexOf(column);
        if (timeColumn < 0 || priceColumn < 0)
            throw new FormatException($"Line 1: the header must name timestamp_utc and {column}; found {string.Join(", ", header)}.");

        var points = new List<PricePoint>();
        var errors = new List<CsvRowError>();
        var line = 1;
        while (reader.MoveNext())
        {
            line++;
            if (errors.Count > maxErrors)
                throw new FormatException($"More than {maxErrors:N0} bad rows (the first: line {errors[0].Line}, {errors[0].Problem}); is this a price file?");
            if (points.Count > maxRows)
                throw new FormatException($"More than {maxRows:N0} rows; the optimiser takes at most that many steps (about five years of 15-minute prices).");
            var text = reader.Current;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var cells = text.Split(',');
            if (cells.Length <= Math.Max(timeColumn, priceColumn)) { errors.Add(new(line, $"has {cells.Length} columns, the header has {header.Count}")); continue; }
            if (!DateTimeOffset.TryParse(cells[timeColumn].Trim('"'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            { errors.Add(new(line, $"timestamp_utc '{cells[timeColumn]}' is not an ISO 8601 time")); continue; }
            if (!decimal.TryParse(cells[priceColumn].Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var price))
            { errors.Add(new(line, $"{column} '{cells[priceColumn]}' is not a number")); continue; }
            if (points.Count > 0 && time <= points[^1].Time)
            { errors.Add(new(line, $"timestamp_utc {time:u} is not after the previous row")); continue; }
            points.Add(new PricePoint(time.ToUniversalTime(), price));
        }
        var step = points.Count > 1 ? points[1].Time - points[0].Time : TimeSpan.FromHours(1);
        return new PriceSeries(points, errors, step);
    }
}
