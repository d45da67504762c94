using System.Net;
using System.Text.RegularExpressions;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// A browser's form submission on the server's HTML pages (sign-in, second factor, consent, device code): the page's
/// form, its antiforgery token and hidden fields, and the fields the person fills in. Shared with tests/Client.Tests.
/// </summary>
public static partial class HtmlForms
{
    /// <summary>Posts the page's form with its antiforgery token, its hidden fields and <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient browser, HttpResponseMessage page, params (string Name, string Value)[] fields)
    {
        var html = await page.Content.ReadAsStringAsync();
        var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var token = WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(action), html);
        Assert.False(string.IsNullOrEmpty(token), html);
        var body = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        foreach (Match hidden in HiddenField().Matches(html))
        {
            if (hidden.Groups[1].Value != "__RequestVerificationToken")
            {
                body = body.Append(new(hidden.Groups[1].Value, WebUtility.HtmlDecode(hidden.Groups[2].Value)));
            }
        }

        return await browser.PostAsync(action, new FormUrlEncodedContent(body));
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
