namespace Portal.Domain.Common;

internal static class Guard
{
    public static string Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException($"{field}.required", $"{field} is required.");
        value = value.Trim();
        if (value.Length > maxLength)
            throw new DomainException($"{field}.too_long", $"{field} is longer than {maxLength} characters.");
        return value;
    }
}
