using System.Text;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Tests;

/// <summary>Numbers and text in the exact form Python's json.dumps and Node's JSON.stringify print after parsing.</summary>
public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("45.10", "45.1")]
    [InlineData("100.0", "100")]
    [InlineData("0.1", "0.1")]
    [InlineData("-12.50", "-12.5")]
    [InlineData("-0.0", "0")]
    [InlineData("0.00001", "0")]          // Python would print 1e-05, Node 0.00001: never sent
    [InlineData("0.00015", "0.0002")]     // four decimals at most: 0.0001 is Python's last non-exponent form
    [InlineData("123456789012.34567", "123456789012.346")] // 15 significant digits at most
    [InlineData("9007199254740991", "9007199254740991")]
    [InlineData("2500000.00", "2500000")]
    public void Numbers_AreWrittenAsBothLanguagesPrintThem(string input, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatNumber(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void NumbersBeyondTwoToThe53_AreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CanonicalJson.FormatNumber(9_007_199_254_740_993m));

    [Fact]
    public void Objects_KeepFieldOrder_AndEscapeQuotes()
    {
        var bytes = new CanonicalJson().Integer("seq", 7).String("text", "a\"b\\c").Number("price", 45.10m).Number("none", null).Bool("ok", true).ToUtf8();

        Assert.Equal("{\"seq\":7,\"text\":\"a\\\"b\\\\c\",\"price\":45.1,\"none\":null,\"ok\":true}", Encoding.ASCII.GetString(bytes));
    }

    [Theory]
    [InlineData("Börse")]
    [InlineData("line\nbreak")]
    [InlineData("€")]
    public void NonAsciiOrControlText_IsRefused_BecauseTheVerifiersWouldDisagree(string text) =>
        Assert.Throws<ArgumentException>(() => new CanonicalJson().String("text", text));
}
