using Microsoft.Playwright;

namespace Orchestrator.Dashboard.Tests.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>.ci/run</c>) driven by Playwright: never a downloaded
/// browser. The flags keep it from reaching for the network, which this machine does not have (without them it stalls).
/// </summary>
internal sealed class SystemChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] s_args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _userDataDir;

    private SystemChromium(IPlaywright playwright, IBrowserContext context, string userDataDir)
    {
        _playwright = playwright;
        Context = context;
        _userDataDir = userDataDir;
    }

    public IBrowserContext Context { get; }

    /// <summary>Where the tests' screenshots go (a test artifact; the good ones are copied into docs/images).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard-screenshots");

    public static async Task<SystemChromium> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"Chromium is not installed at {ExecutablePath}: run 'apt-get install -y chromium' (.ci/run installs it).");
        var playwright = await Playwright.CreateAsync();
        var userDataDir = Path.Combine(Path.GetTempPath(), "orchestrator-dashboard-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userDataDir);
        var context = await playwright.Chromium.LaunchPersistentContextAsync(userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = s_args,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Timeout = 60_000,
        });
        context.SetDefaultTimeout(30_000);
        return new SystemChromium(playwright, context, userDataDir);
    }

    /// <summary>Signs the browser in as <paramref name="user"/> on <paramref name="baseAddress"/> (the test scheme's cookie).</summary>
    public Task SignInAsync(string baseAddress, string user) =>
        Context.AddCookiesAsync([new Cookie { Name = Support.TestAuthHandler.Cookie, Value = user, Url = baseAddress }]);

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_userDataDir, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temporary folder is left to the system.
        }
    }
}
