create table things (id bigint primary key, name varchar(50));
insert into things (id, name) values (1, 'widget');
