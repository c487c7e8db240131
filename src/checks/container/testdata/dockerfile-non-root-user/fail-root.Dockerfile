FROM nginx:1.25.4-alpine
COPY nginx.conf /etc/nginx/nginx.conf
USER app
RUN chown -R app /var/cache/nginx
USER root
EXPOSE 8443
