using AuthPlatform.Application.Common.Security;

namespace AuthPlatform.WebApi.Http;

/// <summary>The client's address (after trusted proxies only) and user agent.</summary>
public sealed class HttpClientContext(IHttpContextAccessor accessor) : IClientContext
{
    public string? IpAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public string? UserAgent
    {
        get
        {
            var agent = accessor.HttpContext?.Request.Headers.UserAgent.ToString();
            return string.IsNullOrEmpty(agent) ? null : agent;
        }
    }
}
