-- PostgreSQL database dump
CREATE TABLE public.patients (
    id integer NOT NULL,
    full_name text,
    ssn character varying(11),
    PRIMARY KEY (id)
);
INSERT INTO public.patients VALUES (1, 'Eleanor Hartwell', '555-12-3456'), (2, 'Conor O''Brien', '555-98-7654');
INSERT INTO "diagnoses" ("patient_id", "full_name", "icd10") VALUES (1, 'Eleanor Hartwell', 'E11.9');
COPY public.visits (id, full_name, visit_reason) FROM stdin;
1	Eleanor Hartwell	annual check\tup
2	\N	\N
\.
