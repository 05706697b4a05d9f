using Microsoft.Playwright;

namespace Portal.Tests.Support;

/// <summary>
/// Real Chromium through Playwright. Playwright cannot download its own browser here, so it drives Debian's
/// (/usr/bin/chromium, or PORTAL_CHROMIUM). A missing browser fails the tests with the way to install it: it never
/// skips them silently.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"Chromium was not found at {ExecutablePath}. Install it with 'sudo apt-get install -y chromium' " +
                "(./test.sh does it for you) or point PORTAL_CHROMIUM at a Chromium binary.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (its own cookies), French by default, desktop or phone sized.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress, bool phone = false) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            Locale = "fr-FR",
            ViewportSize = phone ? new ViewportSize { Width = 360, Height = 740 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The demo portal and one browser, shared by every browser test.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<DemoPortalFactory>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
