FROM golang:1.22.2 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/eligibility ./cmd/eligibility

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/eligibility /eligibility
ENTRYPOINT ["/eligibility"]
