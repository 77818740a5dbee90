namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>The configurations the proxy tests run: the forward-auth wiring docs/gateway.md shows, on loopback, non-root.</summary>
internal static class ProxyConfigs
{
    /// <summary>A whole nginx.conf for <c>nginx -p PREFIX -c CONF -e LOG -g 'daemon off;'</c>; <paramref name="http"/> goes in the http block.</summary>
    public static string NginxMain(string prefix, string http) => $$"""
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
        {{http}}
        }
        """;

    public static string NginxServer(int port, Uri gatehouse, Uri upstream, string app, string environment) => $$"""
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    auth_request /_gatehouse;
                    auth_request_set $gatehouse_app $upstream_http_x_gatehouse_app;
                    auth_request_set $gatehouse_scopes $upstream_http_x_gatehouse_scopes;
                    auth_request_set $gatehouse_error $upstream_http_x_gatehouse_error;
                    add_header X-Gatehouse-Error $gatehouse_error always;
                    proxy_set_header X-Gatehouse-App $gatehouse_app;
                    proxy_set_header X-Gatehouse-Scopes $gatehouse_scopes;
                    proxy_pass {{upstream.ToString().TrimEnd('/')}};
                }
                location = /_gatehouse {
                    internal;
                    proxy_pass {{gatehouse.ToString().TrimEnd('/')}}/forward-auth/{{app}}/{{environment}};
                    proxy_pass_request_body off;
                    proxy_set_header Content-Length "";
                    proxy_set_header X-Forwarded-Method $request_method;
                    proxy_set_header X-Forwarded-Uri $request_uri;
                    proxy_set_header X-Original-Method $request_method;
                    proxy_set_header X-Original-URI $request_uri;
                }
            }
        """;

    public static string Caddyfile(int port, Uri gatehouse, Uri upstream, string app, string environment) => $$"""
        {
        	admin off
        	auto_https off
        }

        http://127.0.0.1:{{port}} {
        	# In this order: a route block keeps it (request_header sorts after forward_auth otherwise).
        	route {
        		request_header -X-Gatehouse-App
        		request_header -X-Gatehouse-Client
        		request_header -X-Gatehouse-Scope
        		request_header -X-Gatehouse-Scopes
        		forward_auth {{gatehouse.Authority}} {
        			uri /forward-auth/{{app}}/{{environment}}
        			copy_headers X-Gatehouse-App X-Gatehouse-Client X-Gatehouse-Scope X-Gatehouse-Scopes
        		}
        		reverse_proxy {{upstream.Authority}}
        	}
        }
        """;
}
