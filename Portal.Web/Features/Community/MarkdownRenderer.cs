using Ganss.Xss;
using Markdig;

namespace Portal.Web.Features.Community;

/// <summary>
/// Markdown to HTML that is safe to show. HTML written in the source is kept where it is harmless (bold, lists, links)
/// and HtmlSanitizer removes the rest but keeps its text, so nobody reads literal tags; links keep only http, https
/// and mailto, and a link whose address was removed becomes its plain text rather than a dead underlined link.
/// </summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseAutoLinks().UseEmphasisExtras().UsePipeTables().Build();
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string ToSafeHtml(string markdown) => _sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline));

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        foreach (var tag in new[] { "img", "form", "input", "button", "select", "textarea", "option", "details", "summary", "label", "fieldset" })
            sanitizer.AllowedTags.Remove(tag);
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" }) sanitizer.AllowedSchemes.Add(scheme);
        // No tracking pixels or remote images in news (img above), no forms.
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
                link.SetAttribute("target", "_blank");
            }
        };
        // A removed tag leaves its text, except code and hidden content, which would read as gibberish.
        sanitizer.RemovingTag += (_, e) =>
        {
            if (e.Tag.LocalName is "script" or "style" or "iframe" or "object" or "embed" or "template" or "noscript" or "textarea" or "select")
                e.Tag.InnerHtml = "";
        };
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var dead in e.Document.QuerySelectorAll("a:not([href])").ToList())
                dead.Replace([.. dead.ChildNodes]);
        };
        return sanitizer;
    }
}
