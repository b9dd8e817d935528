using System.Text.Json;
using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>
/// The seed 001 look (aurora titles, glass cards, shimmer, gold background) keeps every text readable:
/// WCAG AA contrast on every page in both themes, measured on the rendered page (contrast.js); and
/// the motion stops for a user who asks for reduced motion.
/// </summary>
public sealed class ContrastTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private static readonly string Check = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "contrast.js"));
    private static readonly string[] Pages = ["/", "/trading", "/orders", "/bess", "/hedge-grid", "/flash-arb", "/ops"];

    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task EveryPage_InBothThemes_KeepsTextAtWcagAA(string theme)
    {
        var (page, errors) = await Fixture.Open("/", key: BrowserFixture.AdminKey);
        await page.EvaluateAsync($"() => phoenyra.theme.set('{theme}')");

        var failures = new List<string>();
        foreach (var path in Pages)
        {
            await page.GotoAsync(Fixture.Desk.BaseUrl + path);
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000 });
            await page.WaitForTimeoutAsync(1_500); // live values and charts arrive
            failures.AddRange(await Failures(page, path));
            if (path == "/") await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"look-{theme}.png") });
        }
        var (login, _) = await Fixture.NewPage();
        await login.Context.AddCookiesAsync([new Cookie { Name = "phoenyra-theme", Value = theme, Url = Fixture.Desk.BaseUrl }]);
        await login.GotoAsync(Fixture.Desk.BaseUrl + "/login");
        failures.AddRange(await Failures(login, "/login"));

        Assert.True(failures.Count == 0, $"{failures.Count} texts below WCAG AA in the {theme} theme:\n" + string.Join("\n", failures.Take(40)));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheLook_IsThere_AndReducedMotionStopsIt()
    {
        var (page, _) = await Fixture.Open("/");
        var title = page.Locator("h1.pho-title").First;
        var panel = page.Locator(".pho-panel").First;

        Assert.Equal("pho-aurora", await title.EvaluateAsync<string>("e => getComputedStyle(e).animationName"));
        Assert.Equal("text", await title.EvaluateAsync<string>("e => getComputedStyle(e).backgroundClip"));
        Assert.Contains("blur(", await panel.EvaluateAsync<string>("e => getComputedStyle(e).backdropFilter"));
        var before = await panel.EvaluateAsync<string>("e => getComputedStyle(e).transform");
        await panel.HoverAsync();
        await page.WaitForTimeoutAsync(400);
        Assert.NotEqual(before, await panel.EvaluateAsync<string>("e => getComputedStyle(e).transform")); // lifts under the pointer

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ReducedMotion = ReducedMotion.Reduce });
        Assert.Equal("none", await title.EvaluateAsync<string>("e => getComputedStyle(e).animationName"));
        Assert.Equal("none", await panel.EvaluateAsync<string>("e => getComputedStyle(e).transform"));
    }

    private static async Task<IEnumerable<string>> Failures(IPage page, string path)
    {
        var found = await page.EvaluateAsync<JsonElement>(Check);
        return found.EnumerateArray().Select(f =>
            $"{path} {f.GetProperty("element").GetString()} \"{f.GetProperty("text").GetString()}\": {f.GetProperty("ratio").GetDouble()}:1 (needs {f.GetProperty("need").GetDouble()}), {f.GetProperty("colour").GetString()} on {f.GetProperty("background").GetString()}");
    }
}
