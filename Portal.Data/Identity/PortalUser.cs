using Microsoft.AspNetCore.Identity;

namespace Portal.Data.Identity;

public sealed class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    /// <summary>"fr" or "en": the language the user chose, used for e-mails.</summary>
    public string Culture { get; set; } = "fr";
    /// <summary>The project an Entrepreneur account speaks for.</summary>
    public int? ProjectId { get; set; }
    /// <summary>The beneficiary structure a Beneficiary account speaks for.</summary>
    public int? BeneficiaryId { get; set; }
    /// <summary>How notifications reach the user by e-mail: at once, in a daily digest, or not at all.</summary>
    public Portal.Domain.Community.EmailPreference EmailPreference { get; set; }
}

/// <summary>A merchant account is tied to one or more establishments.</summary>
public sealed class EstablishmentMember
{
    public int EstablishmentId { get; set; }
    public string UserId { get; set; } = "";
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Merchant = "Merchant";
    public const string Entrepreneur = "Entrepreneur";
    public const string Beneficiary = "Beneficiary";
    public const string Contributor = "Contributor";
    /// <summary>A member the staff allow to create groups.</summary>
    public const string Organiser = "Organiser";

    public static readonly string[] All = [Admin, Merchant, Entrepreneur, Beneficiary, Contributor, Organiser];
}

/// <summary>The Identity store's schema: version 3 adds the passkeys table (WebAuthn credentials, .NET 10).</summary>
public static class PortalIdentity
{
    public static readonly Version SchemaVersion = Microsoft.AspNetCore.Identity.IdentitySchemaVersions.Version3;
}
