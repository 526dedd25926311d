CREATE TABLE expert_network.fine (id int);
