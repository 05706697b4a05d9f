using Portal.Web.Features.Community;

namespace Portal.Tests.Http;

public class SanitizerTests
{
    private static readonly MarkdownRenderer Renderer = new();

    // Known XSS payloads (OWASP cheat sheet and friends), raw and smuggled through Markdown.
    public static TheoryData<string> Payloads() =>
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<a href=\"javascript:alert(1)\">clic</a>",
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](&#106;avascript:alert(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](x\" onerror=\"alert(1))",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<style>@import 'http://evil.example/x.css';</style>",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<input autofocus onfocus=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<body onload=alert(1)>",
        "\"><script>alert(1)</script>",
        "<scr<script>ipt>alert(1)</script>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "`<script>alert(1)</script>`",
    ];

    [Theory]
    [MemberData(nameof(Payloads))]
    public void No_script_reaches_a_reader_of_project_news(string payload)
    {
        var html = Renderer.ToSafeHtml($"Bonjour\n\n{payload}\n\nfin");

        // What a browser would build from it: markup may survive as visible text, never as elements or attributes.
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<body>{html}</body>");
        Assert.Empty(document.QuerySelectorAll("script, iframe, object, embed, style, form, meta, base, svg, math, img, input, details, link"));
        foreach (var element in document.Body!.QuerySelectorAll("*"))
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} on <{element.LocalName}>");
                Assert.NotEqual("style", attribute.Name);
                Assert.DoesNotMatch(@"^\s*(javascript|vbscript|data):", attribute.Value.ToLowerInvariant());
            }
        Assert.Contains("Bonjour", document.Body!.TextContent);
    }

    [Fact]
    public void Ordinary_markdown_keeps_its_formatting_and_safe_links()
    {
        var html = Renderer.ToSafeHtml("**Merci** à *tous* :\n\n- [le site](https://solidons.fr)\n- un point");
        Assert.Contains("<strong>Merci</strong>", html);
        Assert.Contains("<em>tous</em>", html);
        Assert.Contains("<li>", html);
        Assert.Contains("href=\"https://solidons.fr\"", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
    }

    [Fact]
    public void A_link_to_a_forbidden_scheme_becomes_its_text_and_harmless_html_is_kept_rather_than_shown_as_tags()
    {
        var html = Renderer.ToSafeHtml("[cliquez](javascript:alert(1)) et <b>gras</b> <span onclick=\"x()\">texte</span> <script>alert(2)</script>");

        Assert.DoesNotContain("<a", html);
        Assert.Contains("cliquez", html);
        Assert.Contains("<b>gras</b>", html);
        Assert.Contains("texte", html);
        Assert.DoesNotContain("onclick", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("alert(2)", html);
        Assert.DoesNotContain("&lt;b&gt;", html);
    }
}
