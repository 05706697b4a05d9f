namespace Portal.Web.Features.Legal;

/// <summary>
/// Who publishes and hosts the portal, from the "Legal" settings: the legal notice (LCEN, art. 6) and the
/// accessibility statement name them. What is not set is left out rather than invented.
/// </summary>
public sealed class LegalSettings
{
    public string Publisher { get; set; } = "Solidons";
    public string Form { get; set; } = "Association loi 1901";
    public string Address { get; set; } = "Lyon (Rhône)";
    /// <summary>The association's RNA or SIREN number.</summary>
    public string Registration { get; set; } = "";
    public string Director { get; set; } = "";
    public string Email { get; set; } = "contact@solidons.fr";
    public string Host { get; set; } = "";
    public string HostAddress { get; set; } = "";
    /// <summary>The day the accessibility statement was last reviewed.</summary>
    public DateOnly StatementDate { get; set; } = new(2026, 12, 3);
}
