using Microsoft.AspNetCore.Mvc.Filters;

namespace AuthPlatform.WebApi.Http;

/// <summary>Answers that carry a secret or a token are never cached (RFC 6749 section 5.1, CL-04).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NoStoreAttribute : ResultFilterAttribute
{
    public override void OnResultExecuting(ResultExecutingContext context)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        context.HttpContext.Response.Headers.Pragma = "no-cache";
    }
}
