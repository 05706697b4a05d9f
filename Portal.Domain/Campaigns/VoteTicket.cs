using System.Security.Cryptography;

namespace Portal.Domain.Campaigns;

/// <summary>
/// A vote ticket: handed with a bill that carried a solidon, good for one vote in its campaign (which it can move
/// until the campaign closes), crediting the place that handed it. No account: the code is the voter.
/// </summary>
public sealed class VoteTicket
{
    private VoteTicket() { }

    internal VoteTicket(int campaignId, int establishmentId, TicketSource source, DateTimeOffset? collectedAt, DateTimeOffset now)
    {
        Code = TicketCode.New();
        CampaignId = campaignId;
        EstablishmentId = establishmentId;
        Source = source;
        CollectedAt = collectedAt;
        MintedAt = now;
    }

    public long Id { get; private set; }
    /// <summary>The normalised code (<see cref="TicketCode.Length"/> characters, no dashes); printed grouped.</summary>
    public string Code { get; private set; } = "";
    public int CampaignId { get; private set; }
    public int EstablishmentId { get; private set; }
    public TicketSource Source { get; private set; }
    /// <summary>When the bill it came with was paid: known for a till's receipt, not for a printed sheet.</summary>
    public DateTimeOffset? CollectedAt { get; private set; }
    public DateTimeOffset MintedAt { get; private set; }
    /// <summary>When it first voted; a ticket that has voted can move its vote, never cast a second one.</summary>
    public DateTimeOffset? UsedAt { get; private set; }

    internal void MarkUsed(DateTimeOffset now) => UsedAt ??= now;
}

public enum TicketSource
{
    /// <summary>Returned by the till API with an entry, printed on the receipt.</summary>
    Receipt = 0,
    /// <summary>Printed by the merchant on a sheet of ticket cards, handed with the bill.</summary>
    Sheet = 1,
}

/// <summary>Who may vote in a campaign.</summary>
public enum VoterRule
{
    AccountsAndTickets = 0,
    Accounts = 1,
    Tickets = 2,
}

/// <summary>
/// Ticket codes: 15 random characters of Crockford's base32 (75 bits) and a check character (Luhn mod 32, which
/// catches every single mistyped character and every swap of two neighbours but 0 and Z), printed in four groups of four
/// ("K7QM-2X9D-HT4P-W3RC"). Read back, case, spaces and dashes do not matter, and the letters people confuse with
/// digits (O, I, L) are read as the digits.
/// </summary>
public static class TicketCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int RandomLength = 15;
    public const int Length = RandomLength + 1;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < RandomLength; i++) code[i] = Alphabet[bytes[i] & 31];
        code[RandomLength] = Alphabet[CheckValue(code[..RandomLength])];
        return new string(code);
    }

    /// <summary>The code in its stored form, or null when it is not a well-formed code with a right check character.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrEmpty(input) || input.Length > 40) return null;
        Span<char> code = stackalloc char[Length];
        var n = 0;
        foreach (var raw in input)
        {
            if (raw is '-' or ' ' or '\u00A0' or '\u202F') continue;
            var c = char.ToUpperInvariant(raw) switch { 'O' => '0', 'I' or 'L' => '1', var other => other };
            if (n == Length || Alphabet.IndexOf(c) < 0) return null;
            code[n++] = c;
        }
        if (n != Length || Alphabet[CheckValue(code[..RandomLength])] != code[RandomLength]) return null;
        return new string(code);
    }

    /// <summary>"K7QM-2X9D-HT4P-W3RC": four groups of four, easy to read aloud and to type.</summary>
    public static string Format(string code) =>
        code.Length == Length ? $"{code[..4]}-{code[4..8]}-{code[8..12]}-{code[12..]}" : code;

    // Luhn mod N over the alphabet: from the right, every second value doubled and its base-32 digits added.
    private static int CheckValue(ReadOnlySpan<char> payload)
    {
        var (sum, factor) = (0, 2);
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var addend = factor * Alphabet.IndexOf(payload[i]);
            sum += addend / 32 + addend % 32;
            factor = factor == 2 ? 1 : 2;
        }
        return (32 - sum % 32) % 32;
    }
}
