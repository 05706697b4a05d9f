using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Portal.Data.Identity;

namespace Portal.Web.Components.Account;

/// <summary>
/// Throttles sign-in with ASP.NET Core's rate limiters, the same way whether or not the account exists: every attempt
/// spends from its address's budget, every failure from its (address, account) budget and from the account's overall
/// one. There is no lockout: a stranger cannot lock someone out from elsewhere, and "locked" never tells that an
/// account exists. A refused attempt checks no password. Budgets are per node (in memory).
/// </summary>
public sealed class SignInGuard : IDisposable
{
    private readonly PartitionedRateLimiter<string> _addresses, _accountsFromAddress, _accounts;

    public SignInGuard(IConfiguration configuration)
    {
        var perAddress = configuration.GetValue("Account:SignInsPerMinutePerAddress", 20);
        var failuresFromAddress = configuration.GetValue("Account:FailuresPerQuarterHourPerAccountAndAddress", 5);
        var failuresPerAccount = configuration.GetValue("Account:FailuresPerQuarterHourPerAccount", 100);
        _addresses = Sliding(perAddress, TimeSpan.FromMinutes(1));
        _accountsFromAddress = Sliding(failuresFromAddress, TimeSpan.FromMinutes(15));
        _accounts = Sliding(failuresPerAccount, TimeSpan.FromMinutes(15));
    }

    private static PartitionedRateLimiter<string> Sliding(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, SegmentsPerWindow = 6, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Whether this attempt may check a password; it spends one from the address's budget.</summary>
    public bool MayTry(IPAddress? address, string email)
    {
        using var attempt = _addresses.AttemptAcquire(AddressKey(address));
        if (!attempt.IsAcquired) return false;
        // Zero permits: is there budget left, without spending it (only failures spend).
        using var fromAddress = _accountsFromAddress.AttemptAcquire(PairKey(address, email), 0);
        using var account = _accounts.AttemptAcquire(AccountKey(email), 0);
        return fromAddress.IsAcquired && account.IsAcquired;
    }

    public void Failed(IPAddress? address, string email)
    {
        _accountsFromAddress.AttemptAcquire(PairKey(address, email)).Dispose();
        _accounts.AttemptAcquire(AccountKey(email)).Dispose();
    }

    // IPv6 by its /64: one connection holds a whole /64, so single addresses are free to change.
    internal static string AddressKey(IPAddress? address) => address switch
    {
        null => "?",
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => new IPAddress([.. address.GetAddressBytes()[..8], 0, 0, 0, 0, 0, 0, 0, 0]) + "/64",
        _ => address.ToString(),
    };

    // Normalised as Identity normalises before its lookup ("\u212Aim@x.fr" is kim@x.fr), and bounded in length.
    private static string AccountKey(string email)
    {
        var key = email.Trim().Normalize(System.Text.NormalizationForm.FormKC).ToUpperInvariant();
        return key.Length > 256 ? key[..256] : key;
    }

    private static string PairKey(IPAddress? address, string email) => $"{AddressKey(address)}|{AccountKey(email)}";

    public void Dispose()
    {
        _addresses.Dispose();
        _accountsFromAddress.Dispose();
        _accounts.Dispose();
    }
}

/// <summary>
/// A password check for an address without an account costs what a real one costs: without it an unknown address
/// was refused in 3 ms and a known one in 90 ms, which told a stranger who has an account.
/// </summary>
public sealed class DecoyPassword(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> options)
{
    private static readonly PortalUser Nobody = new() { UserName = "nobody" };

    // The same hasher and settings as Identity's own (which is scoped; this one lives as long as the node).
    private readonly PasswordHasher<PortalUser> _hasher = new(options);
    // Hashed on first use, not at start-up; two first callers racing both compute an equally good hash.
    private string? _hash;

    public void Check(string password) => _hasher.VerifyHashedPassword(Nobody,
        _hash ??= _hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))), password);
}
