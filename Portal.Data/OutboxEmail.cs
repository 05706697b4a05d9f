namespace Portal.Data;

/// <summary>
/// An e-mail waiting to go, or gone. A page or a notification only adds a row, in its own transaction; the mail
/// worker sends it and retries with backoff while the server refuses, so a mail server that is down never fails a
/// page and a message acknowledged to a user is never lost.
/// </summary>
public sealed class OutboxEmail
{
    public long Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}
