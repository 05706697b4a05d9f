using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Web.Features.Api;

/// <summary>
/// Reads a till's JSON body by hand rather than through model binding: every wrong shape (a null entry, a string
/// where a number goes, an amount with a third decimal that binding would round, an unknown field) is refused with
/// the field's JSON path, and nothing reaches the ledger that the till did not write exactly.
/// </summary>
public static partial class TillPayload
{
    /// <summary>A batch carries at most this many entries: a till's whole day, with room to spare.</summary>
    public const int MaxEntries = 500;

    /// <summary>A body larger than this is refused with 413 before it is read: 500 entries take about 60 KB.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    public sealed record Parsed(IReadOnlyList<DonationInput> Entries, Dictionary<string, string[]> Errors)
    {
        public bool IsValid => Errors.Count == 0;
    }

    public static async Task<(JsonDocument? Document, string? Error)> ReadAsync(Stream body, CancellationToken ct)
    {
        try
        {
            return (await JsonDocument.ParseAsync(body, Options, ct), null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON: {e.Message}");
        }
    }

    public static Parsed One(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>();
        var entry = Entry(root, "", errors);
        return new Parsed(entry is null ? [] : [entry], errors);
    }

    public static Parsed Batch(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>();
        var entries = new List<DonationInput>();
        if (root.ValueKind != JsonValueKind.Object)
            return new Parsed(entries, Error(errors, "$", "Send an object: {\"entries\": [...]}."));
        JsonElement? list = null;
        foreach (var property in root.EnumerateObject())
        {
            if (!property.NameEquals("entries") && !string.Equals(property.Name, "entries", StringComparison.OrdinalIgnoreCase))
                Error(errors, property.Name, "Unknown field: a batch has only \"entries\".");
            else if (list is not null) Error(errors, "entries", "\"entries\" is given twice.");
            else list = property.Value;
        }
        if (list is null) return new Parsed(entries, Error(errors, "entries", "\"entries\" is required."));
        if (list.Value.ValueKind != JsonValueKind.Array) return new Parsed(entries, Error(errors, "entries", "\"entries\" must be an array of entries."));
        var array = list.Value;
        var count = array.GetArrayLength();
        if (count is 0 or > MaxEntries)
            return new Parsed(entries, Error(errors, "entries", $"Send 1 to {MaxEntries} entries in one batch."));
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (Entry(item, $"entries[{i}].", errors) is { } entry) entries.Add(entry);
            i++;
        }
        return new Parsed(entries, errors);
    }

    private static DonationInput? Entry(JsonElement element, string path, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(errors, path.Length > 0 ? path.TrimEnd('.') : "$", "An entry is an object: {\"amount\": 12.50, \"solidons\": 10}.");
            return null;
        }
        decimal? amount = null;
        int? solidons = null, bills = null, tickets = null;
        DateTimeOffset? collectedAt = null;
        var seen = new HashSet<string>();
        var before = errors.Count;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name.ToLowerInvariant();
            var field = path + name switch { "collectedat" => "collectedAt", _ => name };
            if (!seen.Add(name))
            {
                Error(errors, field, "This field is given twice.");
                continue;
            }
            var value = property.Value;
            switch (name)
            {
                case "amount": amount = Amount(value, field, errors); break;
                case "solidons": solidons = Count(value, field, errors, "solidons"); break;
                case "bills": bills = value.ValueKind == JsonValueKind.Null ? null : Count(value, field, errors, "bills"); break;
                case "tickets": tickets = value.ValueKind == JsonValueKind.Null ? null : Count(value, field, errors, "tickets"); break;
                case "collectedat": collectedAt = value.ValueKind == JsonValueKind.Null ? null : Instant(value, field, errors); break;
                default: Error(errors, path + property.Name, "Unknown field: an entry has amount, solidons, bills, collectedAt and tickets."); break;
            }
        }
        if (!seen.Contains("amount")) Error(errors, path + "amount", "The amount collected is required, in euros (e.g. 12.50).");
        if (!seen.Contains("solidons")) Error(errors, path + "solidons", "The number of solidons is required.");
        return errors.Count == before ? new DonationInput(amount, solidons, bills, collectedAt, tickets) : null;
    }

    // Plain decimal notation only: 12, 12.5, 12.50, 12.500 (trailing zeros say nothing more). No exponent, no sign on
    // zero tricks: a till writes its amounts as they are printed on the receipt.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,14})(\.([0-9]{1,28}))?$")]
    private static partial Regex PlainDecimal();

    private static decimal? Amount(JsonElement value, string field, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            Error(errors, field, "The amount is a JSON number of euros, e.g. 12.50.");
            return null;
        }
        var text = value.GetRawText();
        var match = PlainDecimal().Match(text);
        if (!match.Success)
        {
            Error(errors, field, "Write the amount in plain decimal notation, e.g. 12.50 (no exponent, at most 15 digits before the point).");
            return null;
        }
        if (match.Groups[3].Value.TrimEnd('0').Length > 2)
        {
            Error(errors, field, "The amount is to the cent: at most two decimals. It is never rounded.");
            return null;
        }
        return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    private static int? Count(JsonElement value, string field, Dictionary<string, string[]> errors, string what)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && !value.GetRawText().Contains('.') && !value.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase))
            return n;
        Error(errors, field, value.ValueKind == JsonValueKind.Number
            ? $"The number of {what} is a whole number, written without decimals or exponent."
            : $"The number of {what} is a JSON number, e.g. 10.");
        return null;
    }

    private static DateTimeOffset? Instant(JsonElement value, string field, Dictionary<string, string[]> errors)
    {
        // An instant needs its offset: without one, the server's time zone would decide what the till meant.
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } s && HasOffset().IsMatch(s)
            && value.TryGetDateTimeOffset(out var at))
            return at;
        Error(errors, field, "collectedAt is an ISO 8601 instant with its offset, e.g. 2026-12-02T19:30:00+01:00 or 2026-12-02T18:30:00Z.");
        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();

    private static Dictionary<string, string[]> Error(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = errors.TryGetValue(field, out var earlier) ? [.. earlier, message] : [message];
        return errors;
    }

    /// <summary>
    /// What a request means, hashed: the campaign and each entry's cents, solidons, bills, instant (UTC ticks) and tickets. The
    /// same write re-serialised by a retrying till ("12.5" or "12.50", another offset) hashes the same.
    /// </summary>
    public static byte[] Hash(int campaignId, IReadOnlyList<DonationInput> entries)
    {
        var text = new StringBuilder().Append(campaignId.ToString(CultureInfo.InvariantCulture));
        foreach (var e in entries)
            text.Append('|').Append(e.Amount is { } a ? decimal.ToInt64(a * 100).ToString(CultureInfo.InvariantCulture) : "-")
                .Append(',').Append(e.Solidons?.ToString(CultureInfo.InvariantCulture) ?? "-")
                .Append(',').Append(e.Bills?.ToString(CultureInfo.InvariantCulture) ?? "-")
                .Append(',').Append(e.CollectedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "-");
        // Only when asked: a request without tickets hashes as it did before they existed (a retry across the upgrade).
        foreach (var (e, i) in entries.Select((e, i) => (e, i)).Where(x => x.e.Tickets is > 0))
            text.Append("|t").Append(i).Append(',').Append(e.Tickets!.Value.ToString(CultureInfo.InvariantCulture));
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Printable ASCII (space to tilde), 1 to 255 characters: no control characters, no bidirectional tricks.</summary>
    public static bool IsValidKey(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and <= '~');
}
