using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Web.Hosting;
using QRCoder;

namespace Portal.Web.Features.Merchant;

public static class MerchantEndpoints
{
    public static void MapMerchantEndpoints(this WebApplication app)
    {
        // Public: the QR code printed on table cards and bills opens the campaign's vote page, tagged with the place.
        app.MapGet("/qr/{campaignSlug}/{establishmentSlug}.svg", async (string campaignSlug, string establishmentSlug, HttpContext http,
            IDbContextFactory<PortalDbContext> dbFactory) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
            var known = await db.Campaigns.AnyAsync(c => c.Slug == campaignSlug, http.RequestAborted)
                && await db.Establishments.AnyAsync(e => e.Slug == establishmentSlug, http.RequestAborted);
            if (!known) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(QrSvg(VoteUrl(http.Request, campaignSlug, establishmentSlug)), "image/svg+xml");
        });

        // Public: the kiosk's QR code opens the campaign's vote page.
        app.MapGet("/qr/{campaignSlug}.svg", async (string campaignSlug, HttpContext http, IDbContextFactory<PortalDbContext> dbFactory) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
            if (!await db.Campaigns.AnyAsync(c => c.Slug == campaignSlug, http.RequestAborted)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(QrSvg(VoteUrl(http.Request, campaignSlug)), "image/svg+xml");
        });

        app.MapGet("/commercant/registre.csv", async (int etablissement, int campagne, ClaimsPrincipal user, ActorResolver actors, TillCsv csv,
            CancellationToken ct) =>
        {
            var bytes = await csv.ExportLedgerAsync(await actors.ResolveAsync(user, ct), etablissement, campagne, ct);
            return Results.File(bytes, "text/csv; charset=utf-8", $"registre-solidons-{etablissement}-{campagne}.csv");
        }).RequireAuthorization(Policies.Merchant);
    }

    /// <summary>The campaign's vote page, tagged with the place whose QR code led there when there is one.</summary>
    public static string VoteUrl(HttpRequest request, string campaignSlug, string? establishmentSlug = null) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/campagnes/{campaignSlug}/voter"
        + (establishmentSlug is null ? "" : $"?via={Uri.EscapeDataString(establishmentSlug)}");

    public static string QrSvg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(8);
    }
}
